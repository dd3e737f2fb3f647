/** Timings of one operation: every repetition in milliseconds, with median and p99. */
export interface Timing {
  samples: number[]
  median: number
  p99: number
  /** repetitions asked for, when the time budget cut the run short */
  asked?: number
}

export function summarize(samples: number[], asked?: number): Timing {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
  const mid = sorted.length >> 1
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { samples, median, p99: at(0.99), ...(asked && asked > samples.length ? { asked } : {}) }
}

/** Time allowed to each measured operation before its repetitions stop early (ms). */
let budgetMs = Infinity
export function setTimeBudget(ms: number): void {
  budgetMs = ms
}

/**
 * Runs `fn` `warmup` times untimed, then `reps` times timed, one after another, stopping early
 * (after at least one timed run) once the operation has used its time budget.
 * `fn` gets the repetition number (negative for warm-ups) so each run can do fresh work.
 *
 * @example
 * const t = await measure({ reps: 20, warmup: 3, fn: () => readFiles() }) // t.median in ms
 */
export async function measure({
  reps,
  warmup = 1,
  fn,
}: {
  reps: number
  warmup?: number
  fn: (rep: number) => Promise<unknown> | unknown
}): Promise<Timing> {
  const started = performance.now()
  for (let i = 0; i < warmup; i++) {
    await fn(-1 - i)
    if (performance.now() - started > budgetMs / 4) break
  }
  const samples: number[] = []
  for (let i = 0; i < reps; i++) {
    const t = performance.now()
    await fn(i)
    samples.push(performance.now() - t)
    if (performance.now() - started > budgetMs) break
  }
  return summarize(samples, reps)
}

/** True once an operation started at `startedAt` (performance.now()) has used its time budget. */
export function overBudget(startedAt: number): boolean {
  return performance.now() - startedAt > budgetMs
}
