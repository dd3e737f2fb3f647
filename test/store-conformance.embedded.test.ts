import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe } from 'vitest'
import { Database, GIT_MIGRATIONS_DIR, PostgresStore, migrate } from '@gitpg/git-pg-fs'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@gitpg/server'
import { runStoreConformance } from './support/store-conformance.ts'

let dir: string
let embedded: EmbeddedPostgres
let db: Database

/** The embedded database as the server opens it. */
const openEmbedded = (pg: EmbeddedPostgres) =>
  new Database({ connectionString: pg.connectionString })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gitpg-conformance-'))
  // the embedded server runs as the postgres user, which must reach its data directory
  await chmod(dir, 0o755)
  embedded = await startEmbeddedPostgres({ dataDir: dir })
  db = openEmbedded(embedded)
  await migrate({ db, scope: 'git', dir: GIT_MIGRATIONS_DIR })
}, 120_000)

afterAll(async () => {
  await db?.close()
  await embedded?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('PostgresStore on the embedded database', () => {
  runStoreConformance({ newStore: async () => new PostgresStore({ db }) })
})
