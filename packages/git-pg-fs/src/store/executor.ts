import type pg from 'pg'

/**
 * The one handle every store runs its SQL on: the pool (`Database`), or a transaction's queued
 * handle (`Transaction`), which runs one query at a time. A store bound to a transaction exposes
 * it, so that other stores join the same transaction without reaching into each other.
 */
export interface Executor {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>
}
