import { Database } from '@gitpg/git-pg-fs'
import pino, { type Logger } from 'pino'
import { createApp } from '../../src/app.ts'
import type { AppConfig } from '../../src/context.ts'
import { runMigrations } from '../../src/store/postgres/run-migrations.ts'
import { createStore } from '../../src/store/postgres/create-store.ts'
import { createTestDatabase } from '../../../../test/support/database.ts'

export const API_KEY = 'test-api-key'

export interface CallOptions {
  json?: unknown
  body?: string | Buffer
  headers?: Record<string, string>
  key?: string | null
}

/**
 * A migrated database of its own and an app over it, driven with `app.request()`; quiet unless
 * `logger` is given (or TEST_LOG_LEVEL is set).
 */
export async function createTestApp({
  bodyLimit,
  config,
  logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
}: { bodyLimit?: number; config?: Partial<AppConfig>; logger?: Logger } = {}) {
  const database = await createTestDatabase()
  const db = new Database({ connectionString: database.url })
  await runMigrations(db)
  const store = createStore(db)
  const app = createApp({
    store,
    db,
    config: { apiKey: API_KEY, bodyLimit, ...config },
    logger,
  })

  async function call(method: string, path: string, options: CallOptions = {}) {
    const headers: Record<string, string> = { ...options.headers }
    if (options.key !== null) headers['X-Internal-API-Key'] = options.key ?? API_KEY
    let body: string | Uint8Array | undefined
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(options.json)
    } else if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : new Uint8Array(options.body)
    }
    return app.request(path, { method, headers, body })
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  async function callJson<T = any>(method: string, path: string, options: CallOptions = {}) {
    const res = await call(method, path, options)
    const text = await res.text()
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T }
  }

  return {
    app,
    /** the connection string of the test's own database (for the CLI) */
    url: database.url,
    db,
    store,
    call,
    callJson,
    async close() {
      await db.close()
      await database.drop()
    },
  }
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>
