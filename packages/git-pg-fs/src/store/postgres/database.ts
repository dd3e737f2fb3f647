import pg from 'pg'

/** The subset of `pg.Pool` / `pg.PoolClient` the stores use. */
export interface Executor {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>
}

export interface DatabaseOptions {
  connectionString: string
  max?: number
  /** false where the server cannot take `COPY FROM STDIN` (the embedded database) */
  copy?: boolean
  /**
   * false where connections share one server session, so a statement prepared on one would
   * clash with another's (the embedded database)
   */
  prepare?: boolean
  /**
   * PostgreSQL's `backend_flush_after` for this pool's sessions (as PostgreSQL writes it: `256kB`,
   * `0` to leave the kernel to write back when it likes); null keeps the server's setting.
   * Defaults to `DEFAULT_BACKEND_FLUSH_AFTER`.
   */
  backendFlushAfter?: string | null
}

/**
 * How much a session may write into the kernel's page cache before PostgreSQL asks the kernel to
 * start writing it to disk. PostgreSQL's own default (0) lets data written by the sessions pile
 * up, and the kernel then writes hundreds of megabytes at once, 30 s later: while the disk is busy
 * with that, every commit waits on its WAL flush. Imports and autosaves write fast enough to do
 * that; writing back as they go keeps commits short. Same as PostgreSQL's own
 * `checkpoint_flush_after`.
 */
export const DEFAULT_BACKEND_FLUSH_AFTER = '256kB'

const noop = () => {}

/**
 * A connection pool with scoped transactions.
 *
 * @example
 * const db = new Database({ connectionString: process.env.DATABASE_URL! })
 * await db.transaction(async (tx) => tx.query('select 1'))
 */
export class Database implements Executor {
  readonly pool: pg.Pool
  readonly supportsCopy: boolean
  readonly #prepare: boolean

  constructor(options: DatabaseOptions) {
    const flushAfter =
      options.backendFlushAfter === undefined
        ? DEFAULT_BACKEND_FLUSH_AFTER
        : options.backendFlushAfter
    const set =
      flushAfter === null ? null : `SET backend_flush_after = '${flushAfter.replaceAll("'", "''")}'`
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      // the pool waits for this before a new connection is used; a server that refuses the value
      // keeps its own (it only changes when written data reaches the disk)
      onConnect: set === null ? undefined : (client) => client.query(set).then(noop, noop),
    })
    this.pool.on('error', () => {})
    this.supportsCopy = options.copy ?? true
    this.#prepare = options.prepare ?? true
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) {
    return this.pool.query<R>(text, values)
  }

  /**
   * A hot query of fixed text, kept prepared on each connection under `name` (parsed once per
   * connection rather than on every call): about half the database's and the client's work
   * for a one-row look-up.
   */
  queryPrepared<R extends pg.QueryResultRow = pg.QueryResultRow>(
    name: string,
    text: string,
    values: unknown[],
  ) {
    return this.#prepare
      ? this.pool.query<R>({ name, text, values })
      : this.pool.query<R>(text, values)
  }

  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      const result = await fn(client)
      await client.query('COMMIT')
      return result
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      client.release()
    }
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}
