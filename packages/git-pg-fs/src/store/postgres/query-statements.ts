import type { Executor, QueryResult } from '../executor.ts'

/**
 * Runs parameterless `statements` as one simple-protocol query: one round trip, where separate
 * queries take one each. In READ COMMITTED each statement still takes a snapshot of its own, as
 * a query of its own would: a statement after a lock sees what was committed before the lock was
 * granted. A simple query takes no parameters: callers inline integers and `pg.escapeLiteral`
 * text. Returns each statement's result, in order.
 *
 * @example
 * const [, live] = await queryStatements(tx, [`SELECT pg_advisory_xact_lock(1)`, 'SELECT 1'])
 */
export async function queryStatements(
  executor: Executor,
  statements: readonly string[],
): Promise<QueryResult[]> {
  const answer: unknown = await executor.query(statements.join(';\n'))
  // node-postgres answers a query of several statements with one result per statement
  return Array.isArray(answer) ? (answer as QueryResult[]) : [answer as QueryResult]
}
