import type { LineChange } from './diff-lines.ts'

const FUNC_LINE_MAX = 80
const NO_NEWLINE = '\n\\ No newline at end of file\n'

/** git's default hunk heading: a line that starts with a letter, `_` or `$`, cut to 80 bytes. */
function funcName(line: string): string | null {
  const c = line.charCodeAt(0)
  const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
  if (!alpha && c !== 0x5f && c !== 0x24) return null
  let len = Math.min(line.length, FUNC_LINE_MAX)
  for (; len > 0; len--) {
    const t = line.charCodeAt(len - 1)
    if (t !== 0x20 && t !== 0x09 && t !== 0x0a && t !== 0x0d) break
  }
  return line.slice(0, len)
}

/** A hunk range as git writes it: the count is left out when it is 1, an empty range at n - 1. */
function range(start: number, count: number): string {
  const first = count === 0 ? start : start + 1
  return count === 1 ? `${first}` : `${first},${count}`
}

/**
 * Unified-diff hunks of an edit script as `git diff` writes them (xdiff's `xdl_emit_diff`):
 * `context` lines around each change, changes at most `2 * context` lines apart in one hunk,
 * the heading of each hunk from the nearest old line above it that starts an identifier, and
 * `\ No newline at end of file` after a last line without one. Lines are latin1 strings, so
 * the result is too.
 *
 * @example
 * const text = unifiedHunks({ oldLines, newLines, changes: diffLines(oldLines, newLines).changes })
 */
export function unifiedHunks({
  oldLines,
  newLines,
  changes,
  context = 3,
}: {
  oldLines: readonly string[]
  newLines: readonly string[]
  changes: readonly LineChange[]
  context?: number
}): string {
  const parts: string[] = []
  const emit = (prefix: string, line: string) => {
    parts.push(prefix, line)
    if (!line.endsWith('\n')) parts.push(NO_NEWLINE)
  }
  let heading: string | null = null
  let searchedTo = -1
  for (let first = 0; first < changes.length;) {
    let last = first
    while (
      last + 1 < changes.length &&
      changes[last + 1].oldStart - (changes[last].oldStart + changes[last].oldCount) <= 2 * context
    )
      last++
    const x = changes[first]
    const xe = changes[last]
    const s1 = Math.max(x.oldStart - context, 0)
    const s2 = Math.max(x.newStart - context, 0)
    const lctx = Math.min(
      context,
      oldLines.length - (xe.oldStart + xe.oldCount),
      newLines.length - (xe.newStart + xe.newCount),
    )
    const e1 = xe.oldStart + xe.oldCount + lctx
    const e2 = xe.newStart + xe.newCount + lctx
    for (let l = s1 - 1; l > searchedTo; l--) {
      const name = funcName(oldLines[l])
      if (name !== null) {
        heading = name
        break
      }
    }
    searchedTo = s1 - 1
    parts.push(`@@ -${range(s1, e1 - s1)} +${range(s2, e2 - s2)} @@`)
    parts.push(heading ? ` ${heading}\n` : '\n')
    let i1 = s1
    for (let c = first; c <= last; c++) {
      const ch = changes[c]
      for (; i1 < ch.oldStart; i1++) emit(' ', oldLines[i1])
      for (let i = ch.oldStart; i < ch.oldStart + ch.oldCount; i++) emit('-', oldLines[i])
      for (let i = ch.newStart; i < ch.newStart + ch.newCount; i++) emit('+', newLines[i])
      i1 = ch.oldStart + ch.oldCount
    }
    for (; i1 < e1; i1++) emit(' ', oldLines[i1])
    first = last + 1
  }
  return parts.join('')
}
