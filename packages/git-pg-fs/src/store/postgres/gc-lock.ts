import type { Executor, QueryResult } from '../executor.ts'
import { queryStatements } from './query-statements.ts'

/**
 * The key of a repository's garbage collection lock: writers of objects and refs hold it shared
 * for their transaction, a batch of removals holds it exclusively for its own.
 */
const KEY = `hashtextextended('gitpg-gc:' || $1::text, 0)`

/**
 * Takes the repository's GC lock in shared mode until the transaction ends: a batch of garbage
 * collection never runs between this transaction's existence checks and its commit. Writers do
 * not block each other. False when the repository is deleted (nothing may be written to it).
 * `then` are statements of parameterless SQL run in the same round trip after the check, whose
 * results come back in order (e.g. the ref lock of `lockRefStatements`).
 *
 * @example
 * if (!(await lockGcShared(tx, repoId)).live) throw new RepoNotFoundError(String(repoId))
 */
export async function lockGcShared(
  executor: Executor,
  repoId: number,
  then: readonly string[] = [],
): Promise<{ live: boolean; then: QueryResult[] }> {
  if (!Number.isSafeInteger(repoId)) throw new TypeError(`bad repository id ${repoId}`)
  // A deletion hides the repository holding this lock exclusively: once it is held, either the
  // repository is gone (nothing may be written to it) or the deletion waits for this
  // transaction. The existence check is a statement of its own, whose snapshot is taken after
  // the lock was granted: one simple-protocol query of several statements (one round trip), each
  // with a snapshot of its own. A simple query takes no parameters: the id is an integer.
  const results = await queryStatements(executor, [
    `SELECT pg_advisory_xact_lock_shared(hashtextextended('gitpg-gc:${repoId}', 0))`,
    `SELECT EXISTS (SELECT 1 FROM repos WHERE repo_id = ${repoId}) AS live`,
    ...then,
  ])
  return { live: results[1].rows[0].live === true, then: results.slice(2) }
}

/**
 * Takes the repository's GC lock exclusively until the transaction ends, waiting for the writers
 * that hold it: a deletion hides the repository so, and no write is under way or starts after.
 *
 * @example
 * await lockGcExclusive(tx, repoId)
 */
export async function lockGcExclusive(executor: Executor, repoId: number): Promise<void> {
  await executor.query(`SELECT pg_advisory_xact_lock(${KEY})`, [repoId])
}

/**
 * Takes the repository's GC lock exclusively until the transaction ends, if no writer holds it;
 * false, at once, when one does (a batch never waits in the lock queue, where it would make
 * every writer that comes after it wait too).
 *
 * @example
 * if (!(await tryLockGcExclusive(tx, repoId))) return 'busy'
 */
export async function tryLockGcExclusive(executor: Executor, repoId: number): Promise<boolean> {
  const { rows } = await executor.query<{ locked: boolean }>(
    `SELECT pg_try_advisory_xact_lock(${KEY}) AS locked`,
    [repoId],
  )
  return rows[0].locked
}
