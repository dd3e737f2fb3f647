import type { Logger } from 'pino'
import type { Executor } from '@gitpg/git-pg-fs'
import { compactEvents } from '../store/postgres/feed-store.ts'

/**
 * Removes change-feed events older than the retention on a timer. Every instance may run one:
 * compaction is idempotent, so instances over one database need no coordination.
 *
 * @example
 * const compactor = new FeedCompactor({ db, retentionSeconds: 7 * 86400, logger })
 * compactor.start()
 */
export class FeedCompactor {
  readonly #db: Executor
  readonly #retentionSeconds: number
  readonly #intervalMs: number
  readonly #logger: Logger
  #timer: NodeJS.Timeout | null = null
  #running: Promise<void> | null = null

  constructor({
    db,
    retentionSeconds,
    logger,
    intervalMs,
  }: {
    db: Executor
    retentionSeconds: number
    logger: Logger
    /** default: a quarter of the retention, between one second and ten minutes */
    intervalMs?: number
  }) {
    this.#db = db
    this.#retentionSeconds = retentionSeconds
    this.#logger = logger
    this.#intervalMs =
      intervalMs ?? Math.min(600_000, Math.max(1000, (retentionSeconds * 1000) / 4))
  }

  /** Compacts now, then on every interval. */
  start(): void {
    if (this.#timer) return
    void this.runOnce()
    this.#timer = setInterval(() => void this.runOnce(), this.#intervalMs)
    this.#timer.unref()
  }

  /** One pass; errors (a database restart, say) are logged and the next pass tries again. */
  runOnce(): Promise<void> {
    this.#running ??= (async () => {
      try {
        const removed = await compactEvents(this.#db, this.#retentionSeconds)
        if (removed > 0) this.#logger.info({ removed }, 'change feed compacted')
      } catch (err) {
        this.#logger.warn({ err }, 'change feed compaction failed; will retry')
      } finally {
        this.#running = null
      }
    })()
    return this.#running
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    await this.#running
  }
}
