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
 * Entries next to each other in a pack's data are read as one range (a stream of one type reads
 * long runs). Null when a pack is gone.
 */
export async function readPackedRows(
  db: Executor,
  { repoId, at }: { repoId: number; at: readonly PackedAt[] },
): Promise<StoredRow[] | null> {
  if (at.length === 0) return []
  const entries = at.map((a) => ({ ...a, entry: a.index.entry(a.pos) }))
  const order = entries
    .map((_, i) => i)
    .sort(
      (a, b) =>
        entries[a].packId - entries[b].packId || entries[a].entry.offset - entries[b].entry.offset,
    )
  const spans: (Range & { of: number[] })[] = []
  for (const i of order) {
    const { packId, entry } = entries[i]
    const last = spans[spans.length - 1]
    if (last && last.packId === packId && last.offset + last.length === entry.offset) {
      last.length += entry.length
      last.of.push(i)
    } else spans.push({ packId, offset: entry.offset, length: entry.length, of: [i] })
  }
  const read = await readRanges(db, { repoId, ranges: spans })
  const data: Buffer[] = new Array(entries.length)
  for (let s = 0; s < spans.length; s++) {
    const bytes = read[s]
    if (!bytes) return null
    for (const i of spans[s].of) {
      const from = entries[i].entry.offset - spans[s].offset
      data[i] = bytes.subarray(from, from + entries[i].entry.length)
    }
  }
  return entries.map((e, i) => ({
    oid: e.index.oid(e.pos),
    type: e.entry.type,
    size: e.entry.size,
    zlib: true,
    base: e.entry.base === WHOLE ? null : e.index.oid(e.entry.base),
    data: data[i],
  }))
}
