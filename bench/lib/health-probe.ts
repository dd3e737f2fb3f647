import { request, type ClientRequest } from 'node:http'

/** What a probe saw over its run. */
export interface HealthSummary {
  /** the slowest poll in ms; one still waiting at `stop()` counts its wait so far */
  worstMs: number
  polls: number
  /** polls answered with something other than 200, or not at all (refused, reset) */
  failures: number
}

/**
 * Polls `GET /health` every `intervalMs` (the next poll starts when the last one answered, at
 * most every `intervalMs`) until `stop()`, keeping the slowest answer. Each poll opens its own
 * connection, so it never queues behind the requests being measured on the client side.
 *
 * @example
 * const probe = new HealthProbe({ url: server.url })
 * await hostileRequest()
 * const { worstMs } = await probe.stop()
 */
export class HealthProbe {
  readonly #done: Promise<void>
  #stopped = false
  /** the poll in flight, or the pause between two, ended at once by `stop()` */
  #current: ClientRequest | null = null
  #wake: (() => void) | null = null
  #worstMs = 0
  #polls = 0
  #failures = 0

  constructor({ url, intervalMs = 100 }: { url: string; intervalMs?: number }) {
    this.#done = this.#loop(url, intervalMs)
  }

  /** One `GET /health` on a connection of its own; resolves with whether it answered 200. */
  #poll(url: string): Promise<boolean> {
    return new Promise((resolve) => {
      const req = request(`${url}/health`, { agent: false }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode === 200))
        res.on('error', () => resolve(false))
      })
      req.on('error', () => resolve(false))
      req.on('close', () => resolve(false))
      this.#current = req
      req.end()
    })
  }

  async #loop(url: string, intervalMs: number): Promise<void> {
    while (!this.#stopped) {
      const started = performance.now()
      const ok = await this.#poll(url)
      this.#current = null
      const ms = performance.now() - started
      this.#worstMs = Math.max(this.#worstMs, ms)
      this.#polls++
      // a poll cut short by stop() has been waiting, not failing
      if (!ok && !this.#stopped) this.#failures++
      const wait = intervalMs - ms
      if (wait > 0 && !this.#stopped)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait)
          this.#wake = () => (clearTimeout(timer), resolve())
        })
      this.#wake = null
    }
  }

  async stop(): Promise<HealthSummary> {
    this.#stopped = true
    this.#current?.destroy()
    this.#wake?.()
    await this.#done
    return { worstMs: this.#worstMs, polls: this.#polls, failures: this.#failures }
  }
}
