import type { BenchContext } from './context.ts'
import { measure } from './measure.ts'
import { failed, notBuilt, timingCell, type Cell, type Target } from './report.ts'

/**
 * Where two lists first part, or undefined when they are the same in order. `noun` names one
 * entry and its plural in the message; `detail` adds both differing entries.
 *
 * @example
 * compareLists(['a', 'b'], ['a', 'c'], { detail: true }) // 'entry 1 differs: b instead of c'
 */
export function compareLists(
  mine: string[],
  theirs: string[],
  {
    noun = ['entry', 'entries'],
    detail = false,
  }: { noun?: [string, string]; detail?: boolean } = {},
): string | undefined {
  if (mine.length !== theirs.length) return `${mine.length} ${noun[1]} instead of ${theirs.length}`
  const at = mine.findIndex((x, i) => x !== theirs[i])
  if (at < 0) return undefined
  return `${noun[0]} ${at} differs${detail ? `: ${mine[at]} instead of ${theirs[at]}` : ''}`
}

/**
 * One timed report row: git's command against gitpg's answer. git runs first for the expected
 * answer, then is timed (2 warm-ups); gitpg's first answer goes through `check` (and counts as
 * its first warm-up), then gitpg is timed. A gitpg failure fills its cell, not the run.
 *
 * @example
 * await compareRow({ ctx, operation: 'log, repo', notes: 'git log', target: ratioAtMost(2),
 *   gitRun, gitpgRun, check: (mine, expected) => compareLists(mine, expected) })
 */
export async function compareRow<T>({
  ctx,
  operation,
  notes,
  target,
  gitRun,
  gitpgRun,
  check,
}: {
  ctx: BenchContext
  operation: string
  notes: string
  target: Target
  gitRun: () => Promise<T>
  gitpgRun: () => Promise<T>
  /** what is wrong with gitpg's answer, or undefined when it matches git's */
  check: (answer: T, expected: T) => Promise<string | undefined> | string | undefined
}): Promise<void> {
  const expected = await gitRun()
  const gitTiming = await measure({ reps: ctx.reps.latency, warmup: 2, fn: gitRun })
  let gitpg: Cell = notBuilt
  let wrong: string | undefined
  if (ctx.gitpg) {
    try {
      wrong = await check(await gitpgRun(), expected)
      gitpg = timingCell(await measure({ reps: ctx.reps.latency, warmup: 1, fn: gitpgRun }))
    } catch (err) {
      gitpg = failed(err)
    }
  }
  ctx.report.add({ operation, unit: 'ms', gitpg, git: timingCell(gitTiming), target, notes, wrong })
}
