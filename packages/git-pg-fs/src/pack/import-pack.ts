import type { Readable } from 'node:stream'
import type { GitStore, RefUpdate } from '../store/git-store.ts'
import { BadObjectError } from '../errors.ts'
import type { GitObject } from '../objects/git-object.ts'
import { parseCommit, parseTag } from '../objects/commit.ts'
import { checkTree } from '../objects/tree.ts'
import { readPack, streamPack } from './read-pack.ts'

export interface ImportPackResult {
  objects: number
  stored: number
  oids: string[]
}

async function collect(pack: Buffer | Readable | AsyncIterable<Uint8Array>): Promise<Buffer> {
  if (Buffer.isBuffer(pack)) return pack
  const parts: Buffer[] = []
  for await (const chunk of pack) parts.push(Buffer.from(chunk as Uint8Array))
  return Buffer.concat(parts)
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
 * checked before anything is written, objects are bulk-loaded, then `refUpdates` are applied by
 * compare-and-swap. A broken pack or a ref conflict imports nothing.
 *
 * @example
 * await importPack({ store, repoId, pack, refUpdates: [{ name: 'refs/heads/main', oid }] })
 */
export async function importPack({
  store,
  repoId,
  pack,
  refUpdates = [],
}: {
  store: GitStore
  repoId: number
  pack: Buffer | Readable | AsyncIterable<Uint8Array>
  refUpdates?: readonly RefUpdate[]
}): Promise<ImportPackResult> {
  const oids: string[] = []
  if (!(await store.hasAnyObjects(repoId))) {
    // A first import: objects stream into the database while the pack is still arriving and
    // being resolved. A bad object or checksum aborts the load and the transaction, so
    // nothing is written.
    const source = Buffer.isBuffer(pack) ? pack : (pack as AsyncIterable<Uint8Array>)
    async function* checked() {
      for await (const o of streamPack(source)) {
        checkObject(o)
        oids.push(o.oid)
        yield o
      }
    }
    const stored = await store.transaction(async (tx) => {
      const n = await tx.loadObjects(repoId, checked())
      if (refUpdates.length > 0) await tx.updateRefs(repoId, refUpdates)
      return n
    })
    return { objects: oids.length, stored, oids }
  }
  const buffer = await collect(pack)
  const objects = await readPack(buffer, {
    resolveBase: async (oid) => (await store.readObjects(repoId, [oid])).get(oid) ?? null,
  })
  for (const o of objects) {
    checkObject(o)
    oids.push(o.oid)
  }
  const stored = await store.transaction(async (tx) => {
    const n = await tx.writeObjects(repoId, objects)
    if (refUpdates.length > 0) await tx.updateRefs(repoId, refUpdates)
    return n
  })
  return { objects: objects.length, stored, oids }
}
