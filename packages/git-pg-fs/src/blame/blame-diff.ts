import { diffLines, type LineChange } from '../diff/diff-lines.ts'
import { splitLines } from '../diff/split-lines.ts'
import { trimCommonTail } from './trim-common-tail.ts'

/** Work left for the line diffs of one blame, in steps of the diff (shared by every diff). */
export interface DiffBudget {
  steps: number
}

/**
 * The hunks `git blame` sees between a parent's version of a file and a child's: git's default
 * diff (Myers with xdiff's heuristics, then the indent heuristic, which blame turns on like
 * `git diff`) without context lines, after the common tail is cut as xdiff-interface cuts it.
 * Null when the diff would spend more than the budget left.
 *
 * @example
 * const hunks = blameHunks(parentBlob, childBlob, { steps: 1e8 })
 */
export function blameHunks(
  parent: Buffer,
  target: Buffer,
  budget: DiffBudget,
): LineChange[] | null {
  const cut = trimCommonTail(parent, target)
  const a = splitLines(parent.subarray(0, parent.length - cut))
  const b = splitLines(target.subarray(0, target.length - cut))
  const diff = diffLines(a, b, { maxSteps: budget.steps })
  if (!diff) return null
  budget.steps -= diff.cost.steps + (diff.cost.classifySteps ?? 0)
  return diff.changes
}
