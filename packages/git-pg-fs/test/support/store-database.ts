import { Database } from '../../src/store/postgres/database.ts'
import { GIT_MIGRATIONS_DIR, migrate } from '../../src/store/postgres/migrate.ts'
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts'
import { createTestDatabase } from '../../../../test/support/database.ts'

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
