import { EventEmitter } from 'node:events'
import pg from 'pg'
import { FEED_CHANNEL } from '../store/postgres/feed-store.ts'

/**
 * Tells in-process subscribers when a project's feed grows, whichever server instance made the
 * change: one LISTEN connection per process, reconnected with backoff. Subscribers always re-read
 * from the database by cursor, so a lost notification only delays delivery until the next poll.
 */
export class FeedNotifier {
  readonly #url: string | null
  readonly #emitter = new EventEmitter()
  #client: pg.Client | null = null
  #closed = false
  #retry: NodeJS.Timeout | null = null

  /** `connectionString: null` makes a notifier that only relays local pokes (no LISTEN). */
  constructor({ connectionString }: { connectionString: string | null }) {
    this.#url = connectionString
    this.#emitter.setMaxListeners(0)
  }

  async start(): Promise<void> {
    if (!this.#url) return
    await this.#connect().catch(() => this.#scheduleReconnect())
  }

  async #connect(): Promise<void> {
    if (!this.#url) return
    const client = new pg.Client({ connectionString: this.#url })
    client.on('error', () => this.#lost(client))
    client.on('end', () => this.#lost(client))
    client.on('notification', (msg) => {
      const [repoId] = (msg.payload ?? '').split(':')
      this.#emitter.emit(`repo:${repoId}`)
    })
    await client.connect()
    await client.query(`LISTEN ${FEED_CHANNEL}`)
    this.#client = client
    // Anything missed while disconnected is picked up by subscribers re-reading now.
    this.#emitter.emit('reconnected')
  }

  #lost(client: pg.Client) {
    if (this.#client !== client) return
    this.#client = null
    client.end().catch(() => {})
    this.#scheduleReconnect()
  }

  #scheduleReconnect() {
    if (this.#closed || this.#retry) return
    this.#retry = setTimeout(() => {
      this.#retry = null
      this.#connect().catch(() => this.#scheduleReconnect())
    }, 500)
  }

  /** Calls `onChange` whenever project `repoId` may have new events; returns the unsubscribe. */
  subscribe(repoId: number, onChange: () => void): () => void {
    const key = `repo:${repoId}`
    this.#emitter.on(key, onChange)
    this.#emitter.on('reconnected', onChange)
    return () => {
      this.#emitter.off(key, onChange)
      this.#emitter.off('reconnected', onChange)
    }
  }

  /** Wakes local subscribers directly (a change made by this process). */
  poke(repoId: number): void {
    this.#emitter.emit(`repo:${repoId}`)
  }

  async close(): Promise<void> {
    this.#closed = true
    if (this.#retry) clearTimeout(this.#retry)
    const client = this.#client
    this.#client = null
    await client?.end().catch(() => {})
  }
}
