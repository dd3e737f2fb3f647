import { afterAll, beforeAll, describe } from 'vitest'
import { createStoreDatabase, type StoreDatabase } from './support/store-database.ts'
import { runStoreConformance } from './support/store-conformance.ts'

let database: StoreDatabase

beforeAll(async () => {
  database = await createStoreDatabase()
})
afterAll(() => database?.close())

describe('PostgresStore on system PostgreSQL', () => {
  runStoreConformance({ newStore: async () => database.store })
})
