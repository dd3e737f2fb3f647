import pg from 'pg'

import type { Executor } from '../executor.ts'

export type { Executor }

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
 * The handle of one transaction, given to every store that takes part in it. It runs its queries
 * one at a time, in the order they were asked for (a `pg` client takes one query at a time: a
 * second one sent before the first answers is deprecated in pg 8 and an error in pg 9), so code
 * above it may run reads concurrently (`Promise.all`) as it would on the pool.
 *
 * @example
 * await db.transaction(async (tx) => Promise.all([tx.query('select 1'), tx.query('select 2')]))
 */
export class Transaction implements Executor {
  readonly #client: pg.PoolClient
  /** settles when the last queued query has */
  #tail: Promise<unknown> = Promise.resolve()
  /** the first query that failed, whoever asked for it: PostgreSQL has aborted the transaction */
  #failure: { error: unknown } | null = null
  /** whether BEGIN was sent: it goes with the first query */
  #begun = false

  constructor(client: pg.PoolClient) {
    this.#client = client
  }

  /** Whether the transaction has begun (sent a query): one that has not has nothing to end. */
  get begun(): boolean {
    return this.#begun
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) {
    return this.#run(async (client) => {
      if (this.#begun || (values !== undefined && values.length > 0)) {
        await this.#begin(client)
        return client.query<R>(text, values)
      }
      // a query without parameters goes in one round trip with the BEGIN (a simple query of
      // several statements), answered as if sent alone
      this.#begun = true
      const answers = (await client.query(`BEGIN;\n${text}`)) as unknown as pg.QueryResult<R>[]
      return (answers.length === 2 ? answers[1] : answers.slice(1)) as pg.QueryResult<R>
    })
  }

  /**
   * Runs `fn` with the connection to itself, after every query asked for before and before any
   * asked for after: for what is more than one query, such as a `COPY` stream.
   */
  exclusive<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.#run(async (client) => {
      await this.#begin(client)
      return fn(client)
    })
  }

  async #begin(client: pg.PoolClient): Promise<void> {
    if (this.#begun) return
    this.#begun = true
    await client.query('BEGIN')
  }

  #run<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const run = this.#tail.then(() => fn(this.#client))
    this.#tail = run.catch((error: unknown) => {
      this.#failure ??= { error }
    })
    return run
  }

  /** The first query of the transaction that failed, null while none has. */
  get failure(): { error: unknown } | null {
    return this.#failure
  }

  /** Settles when every query asked for so far has. */
  async drain(): Promise<void> {
    for (let tail = this.#tail; ; tail = this.#tail) {
      await tail
      if (tail === this.#tail) return
    }
  }
}

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
    const settings = [
      // gitpg's queries are look-ups by key: compiling one costs more than it saves, and the
      // estimates for a table not analyzed yet (just after an import) can pass jit_above_cost
      'SET jit = off',
      ...(flushAfter === null
        ? []
        : [`SET backend_flush_after = '${flushAfter.replaceAll("'", "''")}'`]),
    ]
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      // the pool waits for this before a new connection is used; a server that refuses a value
      // keeps its own (backend_flush_after only changes when written data reaches the disk)
      onConnect: async (client) => {
        for (const set of settings) await client.query(set).then(noop, noop)
      },
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

  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. `fn`
   * gets the transaction's handle, which queues its queries (see `Transaction`). When any query
   * of the transaction failed, even one `fn` did not wait for or caught, PostgreSQL would turn
   * the COMMIT into a ROLLBACK: the transaction is rolled back and that first error thrown, so
   * it never resolves without its writes.
   */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    const tx = new Transaction(client)
    try {
      // BEGIN goes with the transaction's first query (see `Transaction.query`)
      const result = await fn(tx)
      // a query `fn` started and did not wait for still belongs to the transaction
      await tx.drain()
      if (tx.failure) throw tx.failure.error
      if (!tx.begun) return result
      const done = await tx.query('COMMIT')
      if (done.command !== 'COMMIT')
        throw new Error(`the transaction was not committed: PostgreSQL answered ${done.command}`)
      return result
    } catch (err) {
      await tx.drain()
      if (tx.begun) await tx.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      client.release()
    }
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}
