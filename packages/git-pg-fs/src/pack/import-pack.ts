import type { Readable } from 'node:stream'
import type { GitStore, RefUpdate } from '../store/git-store.ts'
import { BadObjectError } from '../errors.ts'
import type { GitObject } from '../objects/git-object.ts'
import { parseCommit, parseTag } from '../objects/commit.ts'
import { checkTree } from '../objects/tree.ts'
import { streamPack } from './read-pack.ts'
import { ObjectChecker } from '../fsck/object-checker.ts'

export interface ImportPackResult {
  objects: number
  stored: number
  oids: string[]
}

/** Rejects objects git itself would not parse (fsck's basic checks on trees, commits, tags). */
function checkObject(o: GitObject) {
  try {
    if (o.type === 'tree') checkTree(o.content)
    else if (o.type === 'commit') parseCommit(o.content)
    else if (o.type === 'tag') parseTag(o.content)
  } catch (err) {
    throw new BadObjectError(`${o.type} ${o.oid}: ${(err as Error).message}`)
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
}: {
  store: GitStore
  repoId: number
  pack: Buffer | Readable | AsyncIterable<Uint8Array>
  refUpdates?: readonly RefUpdate[]
  /** objects larger than this are refused (`ObjectTooLargeError`) before they are inflated */
  maxObjectSize?: number
}): Promise<ImportPackResult> {
  const oids: string[] = []
  const checker = new ObjectChecker()
  // A first import streams objects into the database while the pack is still arriving and
  // being resolved; into a repository that has objects, they are gathered first, so thin packs'
  // bases can be looked up and what is stored already skipped. Either way a bad object or
  // checksum aborts before or inside the one transaction, so nothing is written.
  const fresh = !(await store.hasAnyObjects(repoId))
  const source = Buffer.isBuffer(pack) ? pack : (pack as AsyncIterable<Uint8Array>)
  async function* checked() {
    const options = fresh
      ? { maxObjectSize }
      : {
          maxObjectSize,
          resolveBase: async (oid: string) =>
            (await store.readObjects(repoId, [oid])).get(oid) ?? null,
        }
    for await (const o of streamPack(source, options)) {
      checker.check(o)
      checkObject(o)
      oids.push(o.oid)
      yield o
    }
  }
  const gathered: GitObject[] = []
  if (!fresh) for await (const o of checked()) gathered.push(o)
  const stored = await store.transaction(async (tx) => {
    const n = fresh
      ? await tx.loadObjects(repoId, checked())
      : await tx.writeObjects(repoId, gathered)
    // .gitmodules blobs that came before their tree, or were stored already
    await checker.finish({
      readObjects: (oids) => tx.readObjects(repoId, oids),
      readObjectInfo: (oids) => tx.readObjectInfo(repoId, oids),
    })
    if (refUpdates.length > 0) await tx.updateRefs(repoId, refUpdates)
    return n
  })
  return { objects: oids.length, stored, oids }
}
