import { classifyLines } from './classify-lines.ts'
import { compactChanges } from './compact-changes.ts'
import { markChanges, OverBudget, type DiffCost } from './mark-changes.ts'
import { prepareSides } from './prepare-sides.ts'

export type { DiffCost } from './mark-changes.ts'

/** One change of an edit script: old lines `[oldStart, oldStart + oldCount)` become the new ones. */
export interface LineChange {
  /** 0-based index of the first old line replaced (or of the line the insertion goes before) */
  oldStart: number
  oldCount: number
  /** 0-based index of the first new line */
  newStart: number
  newCount: number
}

export interface LineDiff {
  /** the changes, in file order */
  changes: LineChange[]
  /** work done by the Myers pass, for tests and budgets */
  cost: DiffCost
}

/** The runs of changed lines of both sides as an edit script (xdiff's `xdl_build_script`). */
function buildScript(changed1: Uint8Array, changed2: Uint8Array): LineChange[] {
  const out: LineChange[] = []
  // changedN[i] is line i - 1; both sides hold the same number of unchanged lines
  let i1 = changed1.length - 2
  let i2 = changed2.length - 2
  for (; i1 >= 0 || i2 >= 0; i1--, i2--) {
    if (changed1[i1] === 1 || changed2[i2] === 1) {
      const l1 = i1
      const l2 = i2
      while (changed1[i1] === 1) i1--
      while (changed2[i2] === 1) i2--
      out.push({ oldStart: i1, oldCount: l1 - i1, newStart: i2, newCount: l2 - i2 })
    }
  }
  return out.reverse()
}

/**
 * A line diff equal to `git diff`'s (the default Myers algorithm of xdiff with its cost limits,
 * then the indent heuristic): linear space, and time near-linear for usual edits. Lines are as
 * `splitLines` makes them; two lines are equal when their bytes are.
 *
 * The Myers pass counts its work in `cost.steps` (tens of millions a second), and numbering the
 * lines in `cost.classifySteps` (linear in the bytes); with `maxSteps` either phase stops there
 * and the result is `null`, so that no input can hold the CPU for long.
 *
 * @example
 * const diff = diffLines(splitLines(oldBytes), splitLines(newBytes), { maxSteps: 20_000_000 })
 * if (diff) console.log(diff.changes)
 */
export function diffLines(
  oldLines: readonly string[],
  newLines: readonly string[],
  { minimal = false, maxSteps = Infinity }: { minimal?: boolean; maxSteps?: number } = {},
): LineDiff | null {
  const classes = classifyLines(oldLines, newLines, maxSteps)
  if (!classes) return null
  const { a, b } = prepareSides(classes)
  const cost: DiffCost = { steps: 0, classifySteps: classes.steps }
  try {
    markChanges({ a, b, minimal, cost, maxSteps })
  } catch (err) {
    if (err instanceof OverBudget) return null
    throw err
  }
  compactChanges({ side: a, other: b, lines: oldLines })
  compactChanges({ side: b, other: a, lines: newLines })
  return { changes: buildScript(a.changed, b.changed), cost }
}
