import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Database, PostgresStore } from '@gitpg/git-pg-fs'
import type { RunningServer } from '@gitpg/server'
import { createTestDatabase, type TestDatabase } from './database.ts'
import { startTestServer } from './test-server.ts'

/** What an end-to-end test file runs against, and reads behind the server's back. */
export interface TestStack {
  /** a fresh temporary directory, removed by `close()` */
  tmp: string
  database: TestDatabase
  server: RunningServer
  db: Database
  store: PostgresStore
  /** Closes the server and the store, drops the database and removes `tmp`. */
  close(): Promise<void>
}

/**
 * A temporary directory, a database of its own, a real server over it (`env` adds settings) and
 * a store on the same database. What is started is stopped again when a later step fails.
 *
 * @example
 * beforeAll(async () => ({ tmp, server, store } = stack = await startTestStack({ name, apiKey })))
 */
export async function startTestStack({
  name,
  apiKey,
  env,
}: {
  name: string
  apiKey: string
  env?: Record<string, string>
}): Promise<TestStack> {
  const tmp = await mkdtemp(join(tmpdir(), `gitpg-${name}-`))
  let database: TestDatabase | undefined
  let server: RunningServer | undefined
  let db: Database | undefined
  const close = async () => {
    await server?.close()
    await db?.close()
    await database?.drop()
    await rm(tmp, { recursive: true, force: true })
  }
  try {
    database = await createTestDatabase()
    server = await startTestServer({ tmp, apiKey, databaseUrl: database.url, env })
    db = new Database({ connectionString: database.url })
    return { tmp, database, server, db, store: new PostgresStore({ db }), close }
  } catch (err) {
    await close()
    throw err
  }
}
