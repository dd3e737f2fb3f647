/** A row as the database returns it: column name → value. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- columns are typed by each query
export type Row = { [column: string]: any }

/** What a query answers: its rows, and how many rows it returned or changed. */
export interface QueryResult<R extends Row = Row> {
  rows: R[]
  rowCount: number | null
}

/**
 * The one handle every store runs its SQL on: the pool (`Database`), or a transaction's queued
 * handle (`Transaction`), which runs one query at a time. A store bound to a transaction exposes
 * it, so that other stores join the same transaction without reaching into each other.
 */
export interface Executor {
  query<R extends Row = Row>(text: string, values?: unknown[]): Promise<QueryResult<R>>
}
