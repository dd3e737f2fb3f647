import type { GitObject, ObjectType } from '../objects/git-object.ts'
import { streamPack } from '../pack/read-pack.ts'
import type { GitStore } from '../store/git-store.ts'
import { ObjectChecker } from '../fsck/object-checker.ts'
import { checkReceivedObjects } from './check-received.ts'

/** Objects are written when a batch holds this many bytes or objects. */
const BATCH_BYTES = 8 << 20
const BATCH_OBJECTS = 2000
/** Resolved delta bases kept in memory while a pushed pack is read (see `DeltaBases`). */
const BASE_BUDGET = 24 << 20

/**
 * Parses a pushed pack and writes its objects through `store` (a transaction) in batches, each
 * received object checked (`checkReceivedObjects`) on the way: memory holds one batch and the
 * bounded delta-base cache however large the pack. A large object fills a batch on its own, is
 * written at once, and lends its memory to the next large one (see `streamPack`'s `lendAbove`). Returns the type of every object received,
 * and the ids they point at that are neither received nor stored (empty for a connected pack).
 * Throws `BadPackError`, `BadObjectError` or `ObjectTooLargeError`; the caller's transaction
 * then rolls back what was written.
 */
export async function storePack({
  store,
  repoId,
  pack,
  maxObjectSize,
}: {
  store: GitStore
  repoId: number
  /** the pack's file */
  pack: { file: string }
  maxObjectSize: number
}): Promise<{ received: Map<string, ObjectType>; missing: string[] }> {
  const received = new Map<string, ObjectType>()
  const pending = new Set<string>()
  let batch: GitObject[] = []
  let bytes = 0
  // one checker for every batch: a tree's .gitmodules blob may come in another batch
  const checker = new ObjectChecker()
  const flush = async () => {
    if (batch.length === 0) return
    for (const oid of await checkReceivedObjects({ store, repoId, objects: batch, checker }))
      pending.add(oid)
    await store.writeObjects(repoId, batch)
    batch = []
    bytes = 0
  }
  const objects = streamPack(pack, {
    maxObjectSize,
    baseBudget: BASE_BUDGET,
    // an object this large fills a batch: it is written before the next one is read
    lendAbove: BATCH_BYTES,
    resolveBase: async (oid) => (await store.readObjects(repoId, [oid])).get(oid) ?? null,
  })
  // no variable holds a written object while the next is read: a large one leaves memory
  let next: IteratorResult<GitObject> | null
  while (!(next = await objects.next()).done) {
    const o = next.value
    next = null
    received.set(o.oid, o.type)
    batch.push(o)
    bytes += o.content.length
    if (bytes >= BATCH_BYTES || batch.length >= BATCH_OBJECTS) await flush()
  }
  await flush()
  // .gitmodules and .gitattributes blobs that came before their tree, or were stored already
  await checker.finish({
    readObjects: (oids) => store.readObjects(repoId, oids),
    readObjectInfo: (oids) => store.readObjectInfo(repoId, oids),
  })
  const later = [...pending].filter((oid) => !received.has(oid))
  const stored = await store.hasObjects(repoId, later)
  return { received, missing: later.filter((oid) => !stored.has(oid)) }
}
