import { Database, GIT_MIGRATIONS_DIR, PostgresStore, migrate } from '@gitpg/git-pg-fs'
import { createTestDatabase } from '../../../../test/support/database.ts'

/** A migrated database of its own with a git store over it. */
export async function createSyncDatabase() {
  const database = await createTestDatabase()
  const db = new Database({ connectionString: database.url })
  await migrate({ db, scope: 'git', dir: GIT_MIGRATIONS_DIR })
  const store = new PostgresStore({ db })
  return {
    db,
    store,
    async close() {
      await db.close()
      await database.drop()
    },
  }
}

/** Everything about a project a failed sync must leave alone. */
export async function snapshot(store: PostgresStore, name: string) {
  const repo = await store.getRepo(name)
  if (!repo) return null
  const refs = await store.listRefs(repo.repoId)
  const shallow = await store.readFile(repo.repoId, 'shallow')
  return {
    repo: { name: repo.name, defaultBranch: repo.defaultBranch, remote: repo.remote },
    refs,
    objects: await store.countObjects(repo.repoId),
    shallow: shallow?.content.toString() ?? null,
  }
}
