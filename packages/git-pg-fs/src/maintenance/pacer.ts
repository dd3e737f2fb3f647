import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'

/** CPU work runs this long at most before the event loop's other work gets a turn. */
const SLICE_MS = 5

/**
 * Paces CPU-bound maintenance work on a server's event loop: after each slice of work
 * (`pace()` called often, cheap when the slice is not over), the loop gets a turn, and with
 * `pauseMs` the work sleeps that long, so a background run takes at most
 * slice / (slice + pause) of the process's time (a fifth with the default 20 ms) and requests
 * keep their latency.
 *
 * @example
 * const pacer = new Pacer({ pauseMs: 20 })
 * for (const x of work) { await pacer.pace(); heavy(x) }
 */
export class Pacer {
  readonly #pauseMs: number
  #began = performance.now()

  constructor({ pauseMs = 0 }: { pauseMs?: number } = {}) {
    this.#pauseMs = pauseMs
  }

  async pace(): Promise<void> {
    if (performance.now() - this.#began < SLICE_MS) return
    if (this.#pauseMs > 0) await sleep(this.#pauseMs)
    else await nextTurn()
    this.#began = performance.now()
  }
}
