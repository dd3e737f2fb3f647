import { addSplitScore, compareScores, Indents, type SplitScore } from './indent-score.ts'

const INDENT_HEURISTIC_MAX_SLIDING = 100

/** A run of changed lines `[start, end)`; an empty one sits above line `start`. */
interface Group {
  start: number
  end: number
}

/** One side as the compaction sees it: `changed` is offset by one, with zero sentinels. */
interface Side {
  ha: Int32Array
  changed: Uint8Array
}

const isChanged = (s: Side, i: number) => s.changed[i + 1] === 1
const setChanged = (s: Side, i: number, v: boolean) => {
  s.changed[i + 1] = v ? 1 : 0
}

function firstGroup(s: Side): Group {
  const g = { start: 0, end: 0 }
  while (isChanged(s, g.end)) g.end++
  return g
}

function nextGroup(s: Side, g: Group): boolean {
  if (g.end === s.ha.length) return false
  g.start = g.end + 1
  for (g.end = g.start; isChanged(s, g.end); g.end++);
  return true
}

function previousGroup(s: Side, g: Group): boolean {
  if (g.start === 0) return false
  g.end = g.start - 1
  for (g.start = g.end; isChanged(s, g.start - 1); g.start--);
  return true
}

function slideDown(s: Side, g: Group): boolean {
  if (g.end < s.ha.length && s.ha[g.start] === s.ha[g.end]) {
    setChanged(s, g.start++, false)
    setChanged(s, g.end++, true)
    while (isChanged(s, g.end)) g.end++
    return true
  }
  return false
}

function slideUp(s: Side, g: Group): boolean {
  if (g.start > 0 && s.ha[g.start - 1] === s.ha[g.end - 1]) {
    setChanged(s, --g.start, true)
    setChanged(s, --g.end, false)
    while (isChanged(s, g.start - 1)) g.start--
    return true
  }
  return false
}

function broken(what: string): never {
  throw new Error(`diff group sync broken ${what}`)
}

/**
 * Slides each group of changed lines of `side` to where git puts it (xdiff's
 * `xdl_change_compact`): groups that can merge do, a group lines up with a change on the other
 * side when it can, and otherwise the indent heuristic (git's default) picks the position.
 */
export function compactChanges({
  side,
  other,
  lines,
}: {
  side: Side
  other: Side
  lines: readonly string[]
}): void {
  const g = firstGroup(side)
  const go = firstGroup(other)
  const indents = new Indents(lines)
  for (;;) {
    if (g.end !== g.start) {
      let groupsize: number
      let earliestEnd: number
      let endMatchingOther: number
      do {
        groupsize = g.end - g.start
        endMatchingOther = -1
        while (slideUp(side, g)) if (!previousGroup(other, go)) broken('sliding up')
        earliestEnd = g.end
        if (go.end > go.start) endMatchingOther = g.end
        while (slideDown(side, g)) {
          if (!nextGroup(other, go)) broken('sliding down')
          if (go.end > go.start) endMatchingOther = g.end
        }
      } while (groupsize !== g.end - g.start)

      if (g.end === earliestEnd) {
        // no shifting was possible
      } else if (endMatchingOther !== -1) {
        while (go.end === go.start) {
          if (!slideUp(side, g)) broken('match disappeared')
          if (!previousGroup(other, go)) broken('sliding to match')
        }
      } else {
        let shift = Math.max(
          earliestEnd,
          g.end - groupsize - 1,
          g.end - INDENT_HEURISTIC_MAX_SLIDING,
        )
        let bestShift = -1
        let best: SplitScore = { effectiveIndent: 0, penalty: 0 }
        for (; shift <= g.end; shift++) {
          const score: SplitScore = { effectiveIndent: 0, penalty: 0 }
          addSplitScore(indents, shift, score)
          addSplitScore(indents, shift - groupsize, score)
          if (bestShift === -1 || compareScores(score, best) <= 0) {
            best = score
            bestShift = shift
          }
        }
        while (g.end > bestShift) {
          if (!slideUp(side, g)) broken('best shift unreached')
          if (!previousGroup(other, go)) broken('sliding to blank line')
        }
      }
    }
    if (!nextGroup(side, g)) break
    if (!nextGroup(other, go)) broken('moving to next group')
  }
  if (nextGroup(other, go)) broken('at end of file')
}
