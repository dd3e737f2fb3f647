import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Database, PostgresStore } from '@gitpg/git-pg-fs'
import type { RunningServer } from '@gitpg/server'
import { createClient, type GitpgClient } from '@gitpg/client'
import { createTestDatabase, type TestDatabase } from './database.ts'
import { gitRemote, startTestServer } from './test-server.ts'

/** What an end-to-end test file runs against, and reads behind the server's back. */
export interface TestStack {
  /** a fresh temporary directory, removed by `close()` */
  tmp: string
  database: TestDatabase
  server: RunningServer
  db: Database
  store: PostgresStore
  /** `http://git:<key>@host/git/<project>.git`, with the stack's key unless `key` is given */
  remote(project: string, key?: string): string
  /** the typed client (`@gitpg/client`) on the server, with the stack's key */
  client: GitpgClient
  /** A request to the HTTP API with the stack's key; `body` is sent as JSON. */
  api(method: string, path: string, body?: unknown): Promise<Response>
  /** Closes the server and the store, drops the database and removes `tmp`. */
  close(): Promise<void>
}

/**
 * A temporary directory, a database of its own, a real server over it (`env` adds settings) and
 * a store on the same database. What is started is stopped again when a later step fails.
 *
 * @example
 * beforeAll(async () => {
 *   stack = await startTestStack({ name: 'push', apiKey: KEY })
 *   ;({ tmp, server, store } = stack)
 * })
 * afterAll(() => stack?.close())
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
    const running = server
    return {
      tmp,
      database,
      server,
      db,
      store: new PostgresStore({ db }),
      remote: (project, key = apiKey) => gitRemote(running, key, project),
      client: createClient({ baseUrl: running.url, apiKey }),
      api: (method, path, body) =>
        fetch(`${running.url}${path}`, {
          method,
          headers: { 'X-Internal-API-Key': apiKey, 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      close,
    }
  } catch (err) {
    await close()
    throw err
  }
}
