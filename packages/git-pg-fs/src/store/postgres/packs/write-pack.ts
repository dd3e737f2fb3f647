import { PackBaseConflictError } from '../../../errors.ts'
import type { Executor } from '../database.ts'
import { encodePack, type PackEntry } from './pack-format.ts'
import { readPackedIds } from './read-packs.ts'

/** One object to pack: the whole object's zlib bytes, or a git delta's on another entry. */
export interface PackEntryInput {
  /** 20 bytes */
  oid: Buffer
  /** git type code (1 commit, 2 tree, 3 blob, 4 tag): the object's own, also for deltas */
  type: number
  /** the object's inflated size */
  size: number
  /** zlib bytes of the whole object, or of a git delta (copy/insert ops) on `base` */
  data: Buffer
  /** 20-byte id of another entry of the same call, or null */
  base: Buffer | null
}

/**
 * In the caller's transaction (which holds the repository's GC lock exclusively): inserts one
 * pack of `entries` and deletes the `git_objects` rows with those ids. Throws
 * `PackBaseConflictError` (`.oids`, hex) when a remaining row deltas on one of them, and a
 * TypeError when a delta's base is not among the entries or an id is already packed.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   if (await tryLockGcExclusive(tx, repoId)) await writePack({ db: tx, repoId, entries })
 * })
 */
export async function writePack({
  db,
  repoId,
  entries,
}: {
  db: Executor
  repoId: number
  entries: PackEntryInput[]
}): Promise<{ packId: number; bytes: number }> {
  if (entries.length === 0) throw new TypeError('a pack holds at least one object')
  const { idx, data } = encodePack(entries)
  const ids = entries.map((e) => e.oid)
  const packed = await readPackedIds({ db, repoId })
  const already = ids.find((id) => isIn(packed, id))
  if (already) throw new TypeError(`object ${already.toString('hex')} is already packed`)
  // rows that delta on an object to pack and are not packed with it (the base index is on the
  // first four bytes of the base: `git_oid_key`)
  const { rows } = await db.query<{ oid: Buffer; base: Buffer }>(
    `SELECT g.oid, g.base FROM unnest($2::bytea[]) AS u(oid)
     JOIN git_objects g ON g.repo_id = $1 AND g.base IS NOT NULL
       AND git_oid_key(g.base) = git_oid_key(u.oid) AND g.base = u.oid`,
    [repoId, ids],
  )
  const packing = new Set(ids.map((id) => id.toString('hex')))
  const conflicts = new Set(
    rows.filter((r) => !packing.has(r.oid.toString('hex'))).map((r) => r.base.toString('hex')),
  )
  if (conflicts.size > 0) throw new PackBaseConflictError([...conflicts].sort())
  const packId = await insertPack({ db, repoId, idx, data })
  await db.query(
    `DELETE FROM git_objects g USING unnest($2::bytea[]) AS u(oid)
     WHERE g.repo_id = $1 AND g.oid = u.oid`,
    [repoId, ids],
  )
  return { packId, bytes: idx.length + data.length }
}

/** Inserts a pack's row; its id. */
export async function insertPack({
  db,
  repoId,
  idx,
  data,
}: {
  db: Executor
  repoId: number
  idx: Buffer
  data: Buffer
}): Promise<number> {
  const { rows } = await db.query<{ pack_id: string }>(
    `INSERT INTO git_packs (repo_id, objects, idx, data) VALUES ($1, $2, $3, $4)
     RETURNING pack_id`,
    [repoId, idx.length / 37, idx, data],
  )
  return Number(rows[0].pack_id)
}

/** Encodes `entries` and inserts them as a pack (no checks beyond the format's). */
export async function insertEntries({
  db,
  repoId,
  entries,
}: {
  db: Executor
  repoId: number
  entries: readonly PackEntry[]
}): Promise<{ packId: number; bytes: number }> {
  const { idx, data } = encodePack(entries)
  return { packId: await insertPack({ db, repoId, idx, data }), bytes: idx.length + data.length }
}

/** Whether the sorted 20-byte ids `sorted` hold `oid`. */
function isIn(sorted: Buffer, oid: Buffer): boolean {
  let lo = 0
  let hi = sorted.length / 20 - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const c = sorted.compare(oid, 0, 20, mid * 20, mid * 20 + 20)
    if (c === 0) return true
    if (c > 0) hi = mid - 1
    else lo = mid + 1
  }
  return false
}
