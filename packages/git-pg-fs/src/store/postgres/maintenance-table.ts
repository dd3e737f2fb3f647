import type { Database, Executor } from './database.ts'
import type { MaintenanceReport } from '../../maintenance/maintenance-types.ts'
import { trySessionLock, type SessionLock } from './session-lock.ts'

/** The session lock one maintenance run of a repository holds, across every server. */
const lockKey = (repoId: number) => `gitpg-maintenance:${repoId}`

/**
 * Takes the repository's maintenance lock if no other run (on any server over this database)
 * holds it: a dedicated connection keeps it until `release`. Null when another run holds it.
 */
export function tryLockMaintenance(db: Database, repoId: number): Promise<SessionLock | null> {
  return trySessionLock(db, lockKey(repoId))
}

/** Records what a run did. */
export async function recordMaintenance(db: Executor, report: MaintenanceReport): Promise<void> {
  await db.query(
    `INSERT INTO git_maintenance (repo_id, last_run_at, last_report) VALUES ($1, now(), $2)
     ON CONFLICT (repo_id) DO UPDATE SET last_run_at = now(), last_report = EXCLUDED.last_report`,
    [report.repoId, JSON.stringify(report)],
  )
}

/** When maintenance last ran for a repository and what it did; null if it never ran. */
export async function readMaintenance(
  db: Executor,
  repoId: number,
): Promise<{ lastRunAt: Date; report: MaintenanceReport } | null> {
  const { rows } = await db.query<{ last_run_at: Date; last_report: MaintenanceReport }>(
    `SELECT last_run_at, last_report FROM git_maintenance WHERE repo_id = $1`,
    [repoId],
  )
  return rows[0] ? { lastRunAt: rows[0].last_run_at, report: rows[0].last_report } : null
}
