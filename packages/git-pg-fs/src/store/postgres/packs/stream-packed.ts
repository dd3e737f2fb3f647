import { TYPE_CODE, type ObjectType } from '../../../objects/git-object.ts'
import type { Executor } from '../database.ts'
import type { StoredRow } from '../resolve-objects.ts'
import type { PackedAt, RepoPacks } from './pack-index-cache.ts'
import { readPackedRows } from './pack-ranges.ts'
import { alsoRows } from './packed-ids.ts'

/** Entries per batch, and their bytes at most (but one larger entry alone). */
const BATCH = 1000
const BATCH_BYTES = 8 << 20

/**
 * The packed objects of a type whose ids are in `[from, to)` and that no row holds (a stream of
 * rows sends those), as stored rows, in batches. `relist` gives the packs again when one is gone
 * (another server rewrote it meanwhile); in a snapshot, none is.
 *
 * @example
 * for await (const rows of streamPacked(db, { repoId, packs, type: 'blob', from, to: null }))
 */
export async function* streamPacked(
  db: Executor,
  {
    repoId,
    packs,
    type,
    from,
    to,
    relist,
  }: {
    repoId: number
    packs: RepoPacks
    type: ObjectType
    from: Buffer
    to: Buffer | null
    relist?: () => Promise<RepoPacks>
  },
): AsyncGenerator<StoredRow[]> {
  const code = TYPE_CODE[type]
  const at: PackedAt[] = []
  for (const [packId, index] of packs.packs) {
    for (let pos = from.length > 0 ? index.lowerBound(from) : 0; pos < index.count; pos++) {
      if (to && index.oid(pos).compare(to) >= 0) break
      if (index.type(pos) === code) at.push({ packId, index, pos })
    }
  }
  if (at.length === 0) return
  const rows = await alsoRows(db, { repoId, ids: at.map((a) => a.index.oid(a.pos)) })
  const send =
    rows.size === 0 ? at : at.filter((a) => !rows.has(a.index.oid(a.pos).toString('hex')))
  for (let i = 0; i < send.length;) {
    let bytes = 0
    let end = i
    while (end < send.length && end - i < BATCH && (end === i || bytes <= BATCH_BYTES))
      bytes += send[end].index.entry(send[end++].pos).length
    const batch = send.slice(i, end)
    let read = await readPackedRows(db, { repoId, at: batch })
    if (!read && relist) {
      const now = await relist()
      const again = batch.map((a) => now.find(a.index.oid(a.pos)))
      if (again.every((a) => a !== undefined))
        read = await readPackedRows(db, { repoId, at: again as PackedAt[] })
    }
    if (!read) throw new Error(`a pack of repository ${repoId} went while it was read`)
    yield read
    i = end
  }
}
