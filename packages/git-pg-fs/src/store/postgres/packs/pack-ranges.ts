import type { Executor } from '../database.ts'
import { LARGE_CONTENT } from '../object-rows-sql.ts'
import type { StoredRow } from '../resolve-objects.ts'
import { WHOLE } from './pack-format.ts'
import type { PackedAt } from './pack-index-cache.ts'

/** The byte ranges of many entries, from any packs of one repository, in one statement. */
const RANGES_SQL = `SELECT r.at, substring(p.data from (r.off + 1)::int for r.len::int) AS part
  FROM unnest($2::int8[], $3::int8[], $4::int8[]) WITH ORDINALITY AS r(pack_id, off, len, at)
  JOIN git_packs p ON p.repo_id = $1 AND p.pack_id = r.pack_id`

interface Range {
  packId: number
  offset: number
  length: number
}

/**
 * The bytes of `ranges` of the repository's packs, in their order; null for a range whose pack
 * is gone (another server merged or rewrote it). One query per `LARGE_CONTENT` bytes: a larger
 * entry is read in pieces, so that no value's hex text is longer than a string can be.
 */
export async function readRanges(
  db: Executor,
  { repoId, ranges }: { repoId: number; ranges: readonly Range[] },
): Promise<(Buffer | null)[]> {
  const pieces: { of: number; range: Range }[] = []
  ranges.forEach((r, of) => {
    for (let at = 0; at < r.length || at === 0; at += LARGE_CONTENT)
      pieces.push({
        of,
        range: {
          packId: r.packId,
          offset: r.offset + at,
          length: Math.min(LARGE_CONTENT, r.length - at),
        },
      })
  })
  const parts: (Buffer | null)[] = new Array(pieces.length).fill(null)
  for (let i = 0; i < pieces.length;) {
    let bytes = 0
    let end = i
    while (end < pieces.length && (end === i || bytes + pieces[end].range.length <= LARGE_CONTENT))
      bytes += pieces[end++].range.length
    const batch = pieces.slice(i, end).map((p) => p.range)
    const { rows } = await db.query<{ at: string; part: Buffer }>(RANGES_SQL, [
      repoId,
      batch.map((r) => r.packId),
      batch.map((r) => r.offset),
      batch.map((r) => r.length),
    ])
    for (const r of rows) parts[i + Number(r.at) - 1] = r.part
    i = end
  }
  const out: (Buffer | null)[] = ranges.map(() => null)
  const collected: Buffer[][] = ranges.map(() => [])
  const gone = new Set<number>()
  pieces.forEach((p, i) => {
    if (parts[i] === null) gone.add(p.of)
    else collected[p.of].push(parts[i]!)
  })
  collected.forEach((c, of) => {
    if (!gone.has(of)) out[of] = c.length === 1 ? c[0] : Buffer.concat(c)
  })
  return out
}

/**
 * The packed entries `at` as the stored rows resolving reads: zlib bytes, `base` the base's id.
 * Null when a pack is gone.
 */
export async function readPackedRows(
  db: Executor,
  { repoId, at }: { repoId: number; at: readonly PackedAt[] },
): Promise<StoredRow[] | null> {
  if (at.length === 0) return []
  const entries = at.map((a) => ({ ...a, entry: a.index.entry(a.pos) }))
  const data = await readRanges(db, {
    repoId,
    ranges: entries.map((e) => ({
      packId: e.packId,
      offset: e.entry.offset,
      length: e.entry.length,
    })),
  })
  if (data.some((d) => d === null)) return null
  return entries.map((e, i) => ({
    oid: e.index.oid(e.pos),
    type: e.entry.type,
    size: e.entry.size,
    zlib: true,
    base: e.entry.base === WHOLE ? null : e.index.oid(e.entry.base),
    data: data[i]!,
  }))
}
