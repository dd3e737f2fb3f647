import type { GitpgSide } from './context.ts'
import { overBudget, summarize, type Timing } from './measure.ts'

/**
 * Times `fn` as the first request of a freshly started server: restarts gitpg before each of
 * `reps` runs (the restart untimed), stopping early once the operation has used its time budget.
 *
 * @example
 * const cold = timingCell(await measureFresh(side, ctx.reps.heavy, () => readAll()), false)
 */
export async function measureFresh(
  side: GitpgSide,
  reps: number,
  fn: () => Promise<unknown>,
): Promise<Timing> {
  const samples: number[] = []
  const begun = performance.now()
  for (let i = 0; i < reps && !overBudget(begun); i++) {
    await side.restart()
    const started = performance.now()
    await fn()
    samples.push(performance.now() - started)
  }
  return summarize(samples, reps)
}
