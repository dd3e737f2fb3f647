import type { LineChange } from '../diff/diff-lines.ts'

/**
 * A run of lines of the blamed file still looking for its commit: final lines
 * `[lno, lno + count)` are lines `[sLno, sLno + count)` of the suspect's version (0-based).
 */
export interface BlameEntry {
  lno: number
  sLno: number
  count: number
}

/**
 * Splits a suspect's entries by the hunks of the diff from a parent's version to the suspect's
 * (git's `blame_chunk`): lines outside every hunk pass to the parent at the line they had
 * there, lines inside a hunk stay with the suspect. `entries` are sorted by `sLno`; so is
 * `passed`.
 *
 * @example
 * const { passed, kept } = splitByHunks([{ lno: 0, sLno: 0, count: 3 }], hunks)
 */
export function splitByHunks(
  entries: readonly BlameEntry[],
  hunks: readonly LineChange[],
): { passed: BlameEntry[]; kept: BlameEntry[] } {
  const passed: BlameEntry[] = []
  const kept: BlameEntry[] = []
  // hunks ending at or before the entry's first line are behind every later entry too
  let first = 0
  for (const e of entries) {
    while (first < hunks.length && end(hunks[first]) <= e.sLno) first++
    let k = first
    let line = e.sLno
    const stop = e.sLno + e.count
    while (line < stop) {
      while (k < hunks.length && end(hunks[k]) <= line) k++
      const lno = e.lno + (line - e.sLno)
      const h = k < hunks.length ? hunks[k] : null
      if (h && h.newStart <= line) {
        const n = Math.min(stop, end(h)) - line
        kept.push({ lno, sLno: line, count: n })
        line += n
      } else {
        const offset = k > 0 ? offsetAfter(hunks[k - 1]) : 0
        const n = Math.min(stop, h ? h.newStart : stop) - line
        passed.push({ lno, sLno: line + offset, count: n })
        line += n
      }
    }
  }
  return { passed: sortEntries(passed), kept }
}

/** Entries by their line in the suspect's version (stable). */
export function sortEntries(entries: BlameEntry[]): BlameEntry[] {
  return entries.sort((a, b) => a.sLno - b.sLno)
}

const end = (h: LineChange) => h.newStart + h.newCount

/** How far the parent's line numbers are from the suspect's after a hunk. */
const offsetAfter = (h: LineChange) => h.oldStart + h.oldCount - end(h)
