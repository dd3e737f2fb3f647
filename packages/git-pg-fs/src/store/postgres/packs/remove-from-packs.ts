import { deflateSync, inflateSync } from 'node:zlib'
import { applyDelta } from '../../../pack/apply-delta.ts'
import type { Executor } from '../database.ts'
import { forgetFullPack } from '../full-packs-table.ts'
import type { PackEntry } from './pack-format.ts'
import { PackIndex } from './pack-format.ts'
import { deletePacks, readPackEntries } from './read-pack-entries.ts'
import { insertEntries } from './write-pack.ts'

/**
 * Rewrites every pack of the repository holding any of `oids` without them, in the caller's
 * transaction (which holds the GC lock exclusively): an entry whose delta base goes is stored
 * whole (zlib of its resolved content), one whose base stays keeps its delta; a pack left empty
 * is deleted. Returns the objects removed and the bytes freed.
 *
 * @example
 * const { objects, bytes } = await removeFromPacks({ db: tx, repoId, oids: garbage })
 */
export async function removeFromPacks({
  db,
  repoId,
  oids,
}: {
  db: Executor
  repoId: number
  oids: Buffer[]
}): Promise<{ objects: number; bytes: number }> {
  if (oids.length === 0) return { objects: 0, bytes: 0 }
  const { rows } = await db.query<{ pack_id: string; idx: Buffer }>(
    'SELECT pack_id, idx FROM git_packs WHERE repo_id = $1',
    [repoId],
  )
  const holding = rows
    .filter((r) => {
      const index = new PackIndex(r.idx)
      return oids.some((oid) => index.find(oid) >= 0)
    })
    .map((r) => Number(r.pack_id))
  if (holding.length === 0) return { objects: 0, bytes: 0 }
  const removed = new Set(oids.map((o) => o.toString('hex')))
  let objects = 0
  let bytes = 0
  for (const pack of await readPackEntries(db, { repoId, packIds: holding })) {
    const kept = keepEntries(pack.entries, removed)
    objects += pack.entries.length - kept.length
    bytes += pack.bytes
    if (kept.length > 0) bytes -= (await insertEntries({ db, repoId, entries: kept })).bytes
    await deletePacks(db, { repoId, packIds: [pack.packId] })
  }
  // objects went: a count of them no longer names one set (see `recordFullPack`)
  if (objects > 0) await forgetFullPack(db, repoId)
  return { objects, bytes }
}

/** The entries not `removed`, those whose base is removed stored whole. */
function keepEntries(entries: readonly PackEntry[], removed: ReadonlySet<string>): PackEntry[] {
  const byOid = new Map(entries.map((e) => [e.oid.toString('hex'), e]))
  const contents = new Map<string, Buffer>()
  const content = (oid: string): Buffer => {
    const done = contents.get(oid)
    if (done) return done
    const e = byOid.get(oid)!
    const raw = inflateSync(e.data)
    const out = e.base ? applyDelta(raw, content(e.base.toString('hex'))) : raw
    contents.set(oid, out)
    return out
  }
  const kept: PackEntry[] = []
  for (const [oid, e] of byOid) {
    if (removed.has(oid)) continue
    if (e.base === null || !removed.has(e.base.toString('hex'))) kept.push(e)
    else kept.push({ ...e, base: null, data: deflateSync(content(oid)) })
  }
  return kept
}
