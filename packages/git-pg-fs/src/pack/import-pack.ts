import type { Readable } from 'node:stream'
import type { GitStore, RefUpdate } from '../store/git-store.ts'
import { BadObjectError } from '../errors.ts'
import type { GitObject } from '../objects/git-object.ts'
import { parseCommit, parseTag } from '../objects/commit.ts'
import { streamPack } from './read-pack.ts'
import { ObjectChecker } from '../fsck/object-checker.ts'
import type { TreeEntryVisitor } from '../fsck/fsck-tree.ts'
import { PackClosure } from './pack-closure.ts'

/** Into a repository that has objects, objects are written when a batch holds this much. */
const BATCH_BYTES = 8 << 20
const BATCH_OBJECTS = 2000

export interface ImportPackResult {
  objects: number
  stored: number
  oids: string[]
  /**
   * Whether the pack alone holds `tips` and everything its objects point at: then pointing refs
   * at them needs no walk of the stored history (`checkConnected`).
   */
  holds(tips: readonly string[]): boolean
}

/** Rejects commits and tags git itself would not parse (trees: see `checkedTree`). */
function checkObject(o: GitObject) {
  try {
    if (o.type === 'commit') parseCommit(o.content)
    else if (o.type === 'tag') parseTag(o.content)
  } catch (err) {
    throw new BadObjectError(`${o.type} ${o.oid}: ${(err as Error).message}`)
  }
}

/**
 * Checks a tree in one walk over its entries: git's fsck rules, the shape `checkTree` asks of
 * it (a mode of one to six digits, what fsck alone lets through), and the ids `closure` must
 * find in the pack. The verdicts and errors are `checker.check`'s, then `checkTree`'s.
 */
function checkedTree(checker: ObjectChecker, closure: PackClosure) {
  let badMode = false
  const visit: TreeEntryVisitor = (content, e) => {
    closure.entry(content, e)
    const digits = e.nameAt - 1 - e.at
    if (digits === 0 || digits > 6) badMode = true
  }
  return (o: GitObject) => {
    badMode = false
    checker.check(o, visit)
    if (badMode) throw new BadObjectError(`tree ${o.oid}: malformed tree: bad mode`)
    closure.hold(o.oid)
  }
}

/**
 * Imports a packfile into a repository in one transaction: every object is resolved, hashed and
 * checked (git's fsck rules, strict, as with `transfer.fsckObjects`) before anything is written,
 * objects are bulk-loaded, then `refUpdates` are applied by compare-and-swap. A broken pack, an
 * object git's fsck refuses or a ref conflict imports nothing.
 *
 * @example
 * await importPack({ store, repoId, pack, refUpdates: [{ name: 'refs/heads/main', oid }] })
 */
export async function importPack({
  store,
  repoId,
  pack,
  refUpdates = [],
  maxObjectSize,
  onObjects,
}: {
  store: GitStore
  repoId: number
  pack: Buffer | Readable | AsyncIterable<Uint8Array>
  refUpdates?: readonly RefUpdate[]
  /** objects larger than this are refused (`ObjectTooLargeError`) before they are inflated */
  maxObjectSize?: number
  /** told the number of objects resolved and checked so far, every 1000 objects */
  onObjects?: (resolved: number) => void
}): Promise<ImportPackResult> {
  const oids: string[] = []
  const checker = new ObjectChecker()
  const closure = new PackClosure()
  const checkTreeObject = checkedTree(checker, closure)
  // A first import streams objects into the database (COPY) while the pack is still arriving and
  // being resolved; into a repository that has objects, they are written in bounded batches (what
  // is stored already skipped, thin packs' bases looked up). Either way a bad object or checksum
  // aborts inside the one transaction, so nothing is written.
  const fresh = !(await store.hasAnyObjects(repoId))
  const source = Buffer.isBuffer(pack) ? pack : (pack as AsyncIterable<Uint8Array>)
  const writeInBatches = async (tx: GitStore, objects: AsyncIterable<GitObject>) => {
    let batch: GitObject[] = []
    let bytes = 0
    let written = 0
    for await (const o of objects) {
      batch.push(o)
      bytes += o.content.length
      if (bytes >= BATCH_BYTES || batch.length >= BATCH_OBJECTS) {
        written += await tx.writeObjects(repoId, batch)
        batch = []
        bytes = 0
      }
    }
    return written + (batch.length > 0 ? await tx.writeObjects(repoId, batch) : 0)
  }
  // bases of thin packs are read through the transaction, which sees the batches written so far
  async function* checked(reader: GitStore) {
    const options = fresh
      ? { maxObjectSize }
      : {
          maxObjectSize,
          resolveBase: async (oid: string) =>
            (await reader.readObjects(repoId, [oid])).get(oid) ?? null,
        }
    for await (const o of streamPack(source, options)) {
      if (o.type === 'tree') checkTreeObject(o)
      else {
        checker.check(o)
        checkObject(o)
        closure.add(o)
      }
      oids.push(o.oid)
      if (onObjects && oids.length % 1000 === 0) onObjects(oids.length)
      yield o
    }
  }
  const stored = await store.transaction(async (tx) => {
    const n = fresh
      ? await tx.loadObjects(repoId, checked(tx))
      : await writeInBatches(tx, checked(tx))
    // .gitmodules blobs that came before their tree, or were stored already
    await checker.finish({
      readObjects: (oids) => tx.readObjects(repoId, oids),
      readObjectInfo: (oids) => tx.readObjectInfo(repoId, oids),
    })
    if (refUpdates.length > 0) await tx.updateRefs(repoId, refUpdates)
    return n
  })
  return { objects: oids.length, stored, oids, holds: (tips) => closure.holds(tips) }
}
