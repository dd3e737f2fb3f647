import type { Executor } from './database.ts'

/**
 * The key of a repository's garbage collection lock: writers of objects and refs hold it shared
 * for their transaction, a batch of removals holds it exclusively for its own.
 */
const KEY = `hashtextextended('gitpg-gc:' || $1::text, 0)`

/**
 * Takes the repository's GC lock in shared mode until the transaction ends: a batch of garbage
 * collection never runs between this transaction's existence checks and its commit. Writers do
 * not block each other. False when the repository is deleted (nothing may be written to it).
 *
 * @example
 * if (!(await lockGcShared(tx, repoId))) throw new RepoNotFoundError(String(repoId))
 */
export async function lockGcShared(executor: Executor, repoId: number): Promise<boolean> {
  await executor.query(`SELECT pg_advisory_xact_lock_shared(${KEY})`, [repoId])
  // a deletion hides the repository holding this lock exclusively: once it is held, either the
  // repository is gone (nothing may be written to it) or the deletion waits for this
  // transaction. A statement of its own, whose snapshot is taken after the lock was granted.
  const { rows } = await executor.query<{ live: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM repos WHERE repo_id = $1) AS live',
    [repoId],
  )
  return rows[0].live
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
