import pg from 'pg'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
  }
}

/** Finds the test Postgres: DATABASE_URL when set, otherwise a throwaway container. Fails loudly. */
export default async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL
  let stop: (() => Promise<unknown>) | undefined
  if (!url) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
    const container = await new PostgreSqlContainer('postgres:16-alpine').start()
    url = container.getConnectionUri()
    stop = () => container.stop()
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
