import type { Database } from '@gitpg/git-pg-fs'

/**
 * Takes a named session lock, on a connection of its own held until `release`, if no session
 * (of any server over this database) holds it; null when one does. For work that one server at
 * a time should do, such as the background maintenance job.
 *
 * @example
 * const lock = await tryJobLock(db, 'gitpg-maintenance-job')
 * if (lock) try { await work() } finally { await lock.release() }
 */
export async function tryJobLock(
  db: Database,
  name: string,
): Promise<{ release: () => Promise<void> } | null> {
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
        client.release(err as Error)
      }
    },
  }
}
