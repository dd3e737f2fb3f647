import { Database, GIT_MIGRATIONS_DIR, PostgresStore, migrate } from '@gitpg/git-pg-fs'
import { createTestDatabase } from './database.ts'

export interface StoreDatabase {
  db: Database
  store: PostgresStore
  /** Closes the pool and drops the database. */
  close(): Promise<void>
}

/** A fresh database of its own with the object store's tables, and a store over it. */
export async function createStoreDatabase(): Promise<StoreDatabase> {
  const database = await createTestDatabase()
  const db = new Database({ connectionString: database.url })
  const close = async () => {
    await db.close()
    await database.drop()
  }
  try {
    await migrate({ db, scope: 'git', dir: GIT_MIGRATIONS_DIR })
  } catch (err) {
    await close()
    throw err
  }
  return { db, store: new PostgresStore({ db }), close }
}
