import { trySessionLock, type Database, type SessionLock } from '@gitpg/git-pg-fs'

/**
 * Takes a named session lock, on a connection of its own held until `release`, if no session
 * (of any server over this database) holds it; null when one does. For work that one server at
 * a time should do, such as the background maintenance job.
 *
 * @example
 * const lock = await tryJobLock(db, 'gitpg-maintenance-job')
 * if (lock) try { await work() } finally { await lock.release() }
 */
export function tryJobLock(db: Database, name: string): Promise<SessionLock | null> {
  return trySessionLock(db, name)
}
