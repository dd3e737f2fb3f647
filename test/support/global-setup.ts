import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
  }
}

/**
 * Finds the test Postgres: DATABASE_URL when set, otherwise gitpg's own embedded PostgreSQL in a
 * throwaway data dir (or, with GITPG_TEST_CONTAINER=1, a Testcontainers container). Fails loudly.
 */
export default async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL
  let stop: (() => Promise<unknown>) | undefined
  if (!url && process.env.GITPG_TEST_CONTAINER === '1') {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
    const container = await new PostgreSqlContainer('postgres:16-alpine').start()
    url = container.getConnectionUri()
    stop = () => container.stop()
  } else if (!url) {
    const { startEmbeddedPostgres } =
      await import('../../packages/server/src/embedded/embedded-postgres.ts')
    const dataDir = mkdtempSync(join(tmpdir(), 'gitpg-test-postgres-'))
    // run as root, PostgreSQL runs as user postgres: let it reach the data dir
    chmodSync(dataDir, 0o755)
    const embedded = await startEmbeddedPostgres({ dataDir })
    url = embedded.connectionString
    stop = async () => {
      await embedded.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
    await client.query('select 1')
  } catch (err) {
    throw new Error(`test database unreachable at ${url}: ${(err as Error).message}`)
  } finally {
    await client.end().catch(() => {})
  }
  project.provide('databaseUrl', url)
  return async () => {
    await stop?.()
  }
}
