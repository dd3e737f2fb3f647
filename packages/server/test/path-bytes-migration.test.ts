import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database, GIT_MIGRATIONS_DIR, migrate, PostgresStore } from '@gitpg/git-pg-fs'
import { PostgresPendingStore, SERVER_MIGRATIONS_DIR } from '../src/store/postgres/pending-store.ts'
import { readEvents } from '../src/store/postgres/feed-store.ts'
import { runMigrations } from '../src/store/postgres/run-migrations.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'

let database: TestDatabase
let db: Database
let before: string

beforeAll(async () => {
  database = await createTestDatabase()
  db = new Database({ connectionString: database.url })
  // the server's migrations as they were before paths became bytes
  before = await mkdtemp(join(tmpdir(), 'gitpg-migrations-'))
  for (const file of await readdir(SERVER_MIGRATIONS_DIR))
    if (/^\d+_.*\.sql$/.test(file) && file < '004_path_bytes.sql')
      await copyFile(join(SERVER_MIGRATIONS_DIR, file), join(before, file))
  await migrate({ db, scope: 'git', dir: GIT_MIGRATIONS_DIR })
  await migrate({ db, scope: 'server', dir: before })
})

afterAll(async () => {
  await db?.close()
  await database?.drop()
  if (before) await rm(before, { recursive: true, force: true })
})

describe('004_path_bytes', () => {
  it('keeps the pending changes and feed events stored as text, as their UTF-8 bytes', async () => {
    const { repo } = await new PostgresStore({ db }).createRepo({ name: 'old' })
    await db.query(
      `INSERT INTO pending_changes (repo_id, user_id, path, action, content, oid, size)
       VALUES ($1, 'ada', 'docs/café.md', 'created', 'x', $2, 1), ($1, 'ada', 'z.md', 'deleted', NULL, NULL, 0)`,
      [repo.repoId, 'ab'.repeat(20)],
    )
    await db.query(
      `INSERT INTO project_events (repo_id, seq, kind, user_id, path, payload)
       VALUES ($1, 1, 'pending.saved', 'ada', 'docs/café.md', '{}')`,
      [repo.repoId],
    )
    await db.query('INSERT INTO project_feed_heads (repo_id, seq) VALUES ($1, 1)', [repo.repoId])
    expect(await runMigrations(db)).toContain('server/004_path_bytes.sql')
    const pending = new PostgresPendingStore({ db })
    const rows = await pending.read(repo.repoId, 'ada')
    expect(rows.map((r) => [r.path, r.content?.toString() ?? null])).toEqual([
      ['docs/café.md', 'x'],
      ['z.md', null],
    ])
    const { events } = await readEvents(db, { repoId: repo.repoId, since: null, limit: 10 })
    expect(events.map((e) => e.path)).toEqual(['docs/café.md'])
    const { rows: raw } = await db.query(
      "SELECT encode(path, 'hex') AS hex FROM pending_changes ORDER BY path",
    )
    expect(raw.map((r) => r.hex)).toEqual([
      Buffer.from('docs/café.md').toString('hex'),
      Buffer.from('z.md').toString('hex'),
    ])
  })
})
