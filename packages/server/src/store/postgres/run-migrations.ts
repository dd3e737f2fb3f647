import { convertObjects, GIT_MIGRATIONS_DIR, migrate, type Database } from '@gitpg/git-pg-fs'
import { SERVER_MIGRATIONS_DIR } from './pending-store.ts'

/**
 * Applies the git store's migrations (and converts objects stored in an earlier format), then the
 * server's; returns the files applied.
 */
export async function runMigrations(db: Database): Promise<string[]> {
  const git = await migrate({ db, scope: 'git', dir: GIT_MIGRATIONS_DIR })
  await convertObjects(db)
  const server = await migrate({ db, scope: 'server', dir: SERVER_MIGRATIONS_DIR })
  return [...git.map((f) => `git/${f}`), ...server.map((f) => `server/${f}`)]
}
