import type { Executor } from '@gitpg/git-pg-fs'
import type { ChangeFeed, DatabaseProbe } from '../change-feed.ts'
import { readEvents } from './feed-store.ts'

/**
 * The change feed in PostgreSQL (`project_events`), and the database's health with it.
 *
 * @example
 * const feed = new PostgresChangeFeed({ executor: db })
 * const { events, cursor } = await feed.read({ repoId, since: null, limit: 100 })
 */
export class PostgresChangeFeed implements ChangeFeed, DatabaseProbe {
  readonly #executor: Executor

  constructor({ executor }: { executor: Executor }) {
    this.#executor = executor
  }

  read(input: { repoId: number; since: bigint | null; limit: number }) {
    return readEvents(this.#executor, input)
  }

  async ping(): Promise<void> {
    await this.#executor.query('SELECT 1')
  }
}
