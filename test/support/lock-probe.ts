import pg from 'pg'

/**
 * Connections of the test's own: one holds a row lock on one stored object, so that a
 * transaction deleting it stops there (its other work done, its locks held) until `release`, a
 * deterministic point in the middle of a garbage collection batch; the other watches the
 * database's sessions (outside a transaction: `pg_stat_activity` is read once per transaction).
 *
 * @example
 * const probe = await LockProbe.holdObject({ url, repoId, oid })
 * await probe.waitFor({ event: 'transactionid', query: 'DELETE FROM git_objects' })
 */
export class LockProbe {
  readonly #holder: pg.Client
  readonly #watcher: pg.Client

  private constructor(holder: pg.Client, watcher: pg.Client) {
    this.#holder = holder
    this.#watcher = watcher
  }

  static async holdObject({
    url,
    repoId,
    oid,
  }: {
    url: string
    repoId: number
    oid: string
  }): Promise<LockProbe> {
    const holder = new pg.Client({ connectionString: url })
    const watcher = new pg.Client({ connectionString: url })
    await holder.connect()
    await watcher.connect()
    await holder.query('BEGIN')
    const { rowCount } = await holder.query(
      'SELECT 1 FROM git_objects WHERE repo_id = $1 AND oid = $2 FOR UPDATE',
      [repoId, Buffer.from(oid, 'hex')],
    )
    if (rowCount !== 1) throw new Error(`object ${oid} is not stored`)
    return new LockProbe(holder, watcher)
  }

  /** Resolves once another session of this database waits on a lock `event` in `query`. */
  async waitFor({ event, query }: { event: string; query: string }): Promise<void> {
    const until = Date.now() + 20_000
    for (;;) {
      const { rows } = await this.#watcher.query<{ w: string; hit: boolean }>(
        `SELECT concat_ws(' ', state, wait_event_type, wait_event, left(query, 60)) AS w,
           wait_event_type = 'Lock' AND wait_event = $1 AND position($2 in query) > 0 AS hit
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        [event, query],
      )
      if (rows.some((r) => r.hit)) return
      if (Date.now() > until)
        throw new Error(
          `no session waited on ${event} in ${query}: ${rows.map((r) => r.w).join(' | ')}`,
        )
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  /** Lets the stopped transaction go on; ends the connections. */
  async release(): Promise<void> {
    try {
      await this.#holder.query('ROLLBACK')
    } finally {
      await this.#holder.end()
      await this.#watcher.end()
    }
  }
}
