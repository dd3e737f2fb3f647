import type { Database } from './database.ts'

/** A session lock held on a connection of its own until `release`. */
export interface SessionLock {
  release: () => Promise<void>
}

/**
 * Takes the named session advisory lock, on a pool connection held until `release`, if no
 * session (of any server over this database) holds it; null, at once, when one does. For work
 * one server at a time should do: a repository's maintenance run, the background job's pass.
 *
 * @example
 * const lock = await trySessionLock(db, 'gitpg-maintenance-job')
 * if (lock) try { await work() } finally { await lock.release() }
 */
export async function trySessionLock(db: Database, name: string): Promise<SessionLock | null> {
  const client = await db.pool.connect()
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
      [name],
    )
    if (!rows[0].locked) {
      client.release()
      return null
    }
  } catch (err) {
    client.release(err as Error)
    throw err
  }
  return {
    release: async () => {
      try {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name])
        client.release()
      } catch (err) {
        // a connection that cannot unlock is closed, which ends its session and its locks
        client.release(err as Error)
      }
    },
  }
}
