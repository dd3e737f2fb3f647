import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { RepoNotFoundError } from '../src/errors.ts'
import { Repository } from '../src/repo/repository.ts'
import type { Database } from '../src/store/postgres/database.ts'
import { hideRepo } from '../src/store/postgres/deleted-repos.ts'
import type { PostgresStore } from '../src/store/postgres/postgres-store.ts'
import { createStoreDatabase, type StoreDatabase } from '../../../test/support/store-database.ts'

let stored: StoreDatabase
let db: Database
let store: PostgresStore
/** the text of every query the pool's connections sent, while `recording` */
const sent: string[] = []
let recording = false

function watch(client: pg.PoolClient) {
  const marked = client as pg.PoolClient & { watched?: boolean }
  if (marked.watched) return
  marked.watched = true
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  ;(client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
    const [config] = args as [string | { text: string }]
    if (recording) sent.push(typeof config === 'string' ? config : config.text)
    return query(...args)
  }
}

beforeAll(async () => {
  stored = await createStoreDatabase()
  ;({ db, store } = stored)
  db.pool.on('acquire', watch)
})
afterAll(async () => {
  await stored?.close()
})

const author = { name: 'Ada Lovelace', email: 'ada@example.com', timestamp: 1700000000 }
const write = (path: string, text: string) =>
  ({ path, action: 'write', content: Buffer.from(text) }) as const

describe('Repository.commit round trips', () => {
  it('takes BEGIN, the GC lock, its check and the ref lock in one query; 6 in the transaction', async () => {
    await store.createRepo({ name: 'trips' })
    const repo = await Repository.open({ store, name: 'trips' })
    const first = await repo.commit({
      branch: 'main',
      changes: [write('a/b/c.txt', '1')],
      message: 'm',
      author,
    })
    sent.length = 0
    recording = true
    await repo.commit({
      branch: 'main',
      changes: [write('a/b/c.txt', '2'), write('d.txt', '3')],
      message: 'm',
      author,
      head: first.oid,
    })
    recording = false
    const begin = sent.findIndex((q) => q.startsWith('BEGIN'))
    const inTransaction = sent.slice(begin)
    const opening = inTransaction[0]
    expect(opening).toMatch(/^BEGIN;\n.*pg_advisory_xact_lock_shared/)
    expect(opening).toMatch(/EXISTS \(SELECT 1 FROM repos/)
    expect(opening).toMatch(/'gitpg-ref:\d+:refs\/heads\/main'/)
    expect(opening).toMatch(/FOR UPDATE$/)
    // the lock query, the look-up of what is stored, the objects, the commit graph, the ref,
    // COMMIT: the ref's target needs no look-up (written in this transaction)
    expect(inTransaction).toHaveLength(6)
    expect(inTransaction.at(-1)).toBe('COMMIT')
    expect(sent.filter((q) => /FROM git_refs/.test(q) && !q.startsWith('BEGIN'))).toEqual([])
  })

  it('a deletion that commits while the commit waits for the GC lock: nothing is written', async () => {
    const { repo: record } = await store.createRepo({ name: 'doomed' })
    const repo = await Repository.open({ store, name: 'doomed' })
    await repo.commit({ branch: 'main', changes: [write('x', '1')], message: 'm', author })
    const before = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM git_objects WHERE repo_id = $1',
      [record.repoId],
    )
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let hidden!: () => void
    const isHidden = new Promise<void>((resolve) => (hidden = resolve))
    const deletion = store.transaction(async (tx) => {
      await hideRepo(tx.executor, record.repoId)
      hidden()
      await held
    })
    await isHidden
    const commit = repo.commit({ branch: 'main', changes: [write('y', '2')], message: 'm', author })
    commit.catch(() => {})
    // the commit waits for the GC lock the deletion holds, its snapshot taken before it commits
    await vi.waitFor(
      async () => {
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
        expect(rows[0].n).toBe(1)
      },
      { timeout: 10_000, interval: 5 },
    )
    release()
    await deletion
    await expect(commit).rejects.toBeInstanceOf(RepoNotFoundError)
    const after = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM git_objects WHERE repo_id = $1',
      [record.repoId],
    )
    expect(after.rows[0].n).toBe(before.rows[0].n)
  })
})

describe('Transaction', () => {
  it('sends BEGIN with a first query of no parameters, and still rolls it back', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS begin_probe (n int)')
    sent.length = 0
    recording = true
    const answer = await db
      .transaction(async (tx) => {
        const several = (await tx.query(
          'INSERT INTO begin_probe VALUES (1); SELECT count(*)::int AS n FROM begin_probe',
        )) as unknown as { rows: { n: number }[] }[]
        expect(several[1].rows[0].n).toBe(1)
        const one = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM begin_probe')
        expect(one.rows[0].n).toBe(1)
        throw new Error('abort')
      })
      .catch((err: Error) => err.message)
    recording = false
    expect(answer).toBe('abort')
    expect(sent[0]).toMatch(/^BEGIN;\nINSERT INTO begin_probe/)
    expect(sent.at(-1)).toBe('ROLLBACK')
    expect((await db.query('SELECT count(*)::int AS n FROM begin_probe')).rows[0].n).toBe(0)
  })

  it('sends BEGIN alone before a first query with parameters; none for no query', async () => {
    sent.length = 0
    recording = true
    await db.transaction(async (tx) => tx.query('SELECT $1::int AS n', [1]))
    await db.transaction(async () => 'nothing')
    recording = false
    expect(sent).toEqual(['BEGIN', 'SELECT $1::int AS n', 'COMMIT'])
  })
})
