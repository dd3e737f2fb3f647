import { ObjectCache, type Database, type PostgresStore } from '@gitpg/git-pg-fs'
import { loadConfig, type Config } from '../../config.ts'
import { openDatabase, startEmbeddedPostgres } from '../../embedded-postgres.ts'
import { runMigrations } from '../../store/postgres/run-migrations.ts'
import { createStore } from '../../store/postgres/create-store.ts'

export interface SyncSession {
  store: PostgresStore
  db: Database
  cache: ObjectCache
  config: Config
}

/**
 * Opens the database the server uses (`DATABASE_URL`, or the embedded one in `GITPG_DATA_DIR`),
 * applies migrations, runs `fn`, and closes everything again.
 */
export async function withSyncSession<T>(fn: (session: SyncSession) => Promise<T>): Promise<T> {
  const config = loadConfig({ env: process.env, cwd: process.env.INIT_CWD ?? process.cwd() })
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedPostgres({ dataDir: config.dataDir })
  const db = openDatabase(config, embedded)
  try {
    await runMigrations(db)
    return await fn({ store: createStore(db), db, cache: new ObjectCache(), config })
  } finally {
    await db.close().catch(() => {})
    await embedded?.close().catch(() => {})
  }
}

/** The token to use: `--token`, else `GITHUB_TOKEN`. */
export function tokenFrom(flag: string | undefined, config: Config): string | null {
  return flag ?? config.githubToken ?? null
}

/** `abcdef1234…` → `abcdef1` (or `(none)`). */
export const short = (oid: string | null | undefined) => (oid ? oid.slice(0, 7) : '(none)')
