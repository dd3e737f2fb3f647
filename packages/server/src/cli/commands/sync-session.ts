import { ObjectCache, type Database, type PostgresStore } from '@gitpg/git-pg-fs'
import { gitHubHost } from '@gitpg/sync'
import { loadConfig, type Config } from '../../config.ts'
import { openDatabase, startEmbeddedPostgres } from '../../embedded/embedded-postgres.ts'
import { databaseError } from '../../startup-errors.ts'
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
    await runMigrations(db).catch((err: unknown) => {
      throw databaseError(err, config)
    })
    return await fn({ store: createStore(db), db, cache: new ObjectCache(), config })
  } finally {
    await db.close().catch(() => {})
    await embedded?.close().catch(() => {})
  }
}

/**
 * The credentials of a sync: `--token` goes to the remote's own host only; without it,
 * `GITHUB_TOKEN` is used, and sent only to the configured GitHub (`GITHUB_URL`).
 */
export function syncTokens(flag: string | undefined, config: Config) {
  return {
    token: flag ?? null,
    defaultToken: config.githubToken,
    githubHost: gitHubHost(config.githubUrl),
  }
}

/** `abcdef1234…` → `abcdef1` (or `(none)`). */
export const short = (oid: string | null | undefined) => (oid ? oid.slice(0, 7) : '(none)')
