import { TYPE_CODE, type ObjectType } from '../../../objects/git-object.ts'
import type { Executor } from '../database.ts'
import type { StoredRow } from '../resolve-objects.ts'
import type { PackedAt, RepoPacks } from './pack-index-cache.ts'
import { readPackedRows } from './pack-ranges.ts'
import { alsoRows } from './packed-ids.ts'

/** Entries per batch, and their bytes at most (but one larger entry alone). */
const BATCH = 4000
const BATCH_BYTES = 8 << 20

/**
 * The packed objects of a type whose ids are in `[from, to)`, but those of `exclude` (hex: ids a
 * stream of rows sent), as stored rows, in batches. The entries of the packs `check` names are
 * looked up among rows first (one query) and left out when rows hold them: packs the caller had
 * not listed when it probed its rows against `exclude`. `relist` gives the packs again when one
 * is gone (another server rewrote it meanwhile); in a snapshot, none is.
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
    exclude = new Set(),
    check = new Set(),
    relist,
  }: {
    repoId: number
    packs: RepoPacks
    type: ObjectType
    from: Buffer
    to: Buffer | null
    exclude?: ReadonlySet<string>
    check?: ReadonlySet<number>
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
  // in the order of the packs' data, where a type's entries lie together
  at.sort((a, b) => a.packId - b.packId || a.index.offset(a.pos) - b.index.offset(b.pos))
  const checked = at.filter((a) => check.has(a.packId))
  const rows = await alsoRows(db, { repoId, ids: checked.map((a) => a.index.oid(a.pos)) })
  const send =
    rows.size === 0 && exclude.size === 0
      ? at
      : at.filter((a) => {
          const oid = a.index.oid(a.pos).toString('hex')
          return !rows.has(oid) && !exclude.has(oid)
        })
  for (let i = 0; i < send.length;) {
    let bytes = 0
    let end = i
    while (end < send.length && end - i < BATCH && (end === i || bytes <= BATCH_BYTES))
      bytes += send[end].index.length(send[end++].pos)
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
