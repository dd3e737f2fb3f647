import { fileURLToPath } from 'node:url'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Database } from './database.ts'

/** The advisory lock every schema change and conversion takes: "gitp". */
export const MIGRATION_LOCK = 0x67697470

/**
 * Applies the numbered `.sql` files of `dir` not yet recorded for `scope`, in order, each in its
 * own transaction, under an advisory lock so servers starting together do not race.
 */
export async function migrate({
  db,
  scope,
  dir,
}: {
  db: Database
  scope: string
  dir: string
}): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_.*\.sql$/.test(f)).sort()
  const client = await db.pool.connect()
  const applied: string[] = []
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    await client.query(`CREATE TABLE IF NOT EXISTS gitpg_migrations (
      scope text NOT NULL, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, name))`)
    const done = new Set(
      (await client.query('SELECT name FROM gitpg_migrations WHERE scope = $1', [scope])).rows.map(
        (r) => r.name as string,
      ),
    )
    for (const file of files) {
      if (done.has(file)) continue
      const sql = await readFile(join(dir, file), 'utf8')
      await client.query('BEGIN')
      try {
        await client.query(sql)
        await client.query('INSERT INTO gitpg_migrations (scope, name) VALUES ($1, $2)', [
          scope,
          file,
        ])
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK')
        throw new Error(`migration ${scope}/${file} failed: ${(err as Error).message}`, {
          cause: err,
        })
      }
      applied.push(file)
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    client.release()
  }
  return applied
}

export const GIT_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))
