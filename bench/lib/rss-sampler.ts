import { readFileSync, writeFileSync } from 'node:fs'

/** A field of /proc/<pid>/status in bytes (VmRSS: now, VmHWM: peak), or null once it is gone. */
export function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : null
  } catch {
    return null
  }
}

/** What a sampler saw: resident memory when it started and the most it reached since. */
export interface RssSample {
  baseline: number
  peak: number
}

/**
 * Samples a process's resident memory every `intervalMs` from when it is made until `stop()`.
 * The kernel's own peak (VmHWM) is reset at the start (`/proc/<pid>/clear_refs`, where allowed)
 * and read at the end, so a spike between two samples still counts. `onOverCap` runs once when a
 * sample passes `capBytes`.
 *
 * @example
 * const rss = new RssSampler({ pid, capBytes: 3 * 2 ** 30, onOverCap: () => child.kill() })
 * await work()
 * const { baseline, peak } = rss.stop()
 */
export class RssSampler {
  readonly #pid: number
  readonly #timer: NodeJS.Timeout
  readonly #baseline: number
  readonly #hwmReset: boolean
  #peak: number
  #overCap = false

  constructor({
    pid,
    intervalMs = 50,
    capBytes = Infinity,
    onOverCap,
  }: {
    pid: number
    intervalMs?: number
    capBytes?: number
    onOverCap?: () => void
  }) {
    this.#pid = pid
    this.#hwmReset = resetPeak(pid)
    this.#baseline = procStatusBytes(pid, 'VmRSS') ?? 0
    this.#peak = this.#baseline
    this.#timer = setInterval(() => {
      const rss = procStatusBytes(pid, 'VmRSS')
      if (rss === null) return
      this.#peak = Math.max(this.#peak, rss)
      if (rss > capBytes && !this.#overCap) {
        this.#overCap = true
        onOverCap?.()
      }
    }, intervalMs)
  }

  /** True once a sample passed the cap. */
  get overCap(): boolean {
    return this.#overCap
  }

  stop(): RssSample {
    clearInterval(this.#timer)
    const hwm = this.#hwmReset ? procStatusBytes(this.#pid, 'VmHWM') : null
    return { baseline: this.#baseline, peak: Math.max(this.#peak, hwm ?? 0) }
  }
}

/** Sets the kernel's peak RSS of `pid` to its current RSS; false where that is not allowed. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}
