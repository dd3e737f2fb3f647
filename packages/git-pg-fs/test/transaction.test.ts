import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Repository } from '../src/repo/repository.ts'
import type { Database } from '../src/store/postgres/database.ts'
import type { PostgresStore } from '../src/store/postgres/postgres-store.ts'
import { createStoreDatabase, type StoreDatabase } from '../../../test/support/store-database.ts'

let stored: StoreDatabase
let db: Database
let store: PostgresStore
/** the most queries ever in flight at once on one connection */
let maxInFlight = 0
const warnings: string[] = []
const onWarning = (w: Error) => warnings.push(w.message)

/** Counts each checked-out connection's queries in flight, as the `pg` client sees them. */
function watch(client: pg.PoolClient) {
  const marked = client as pg.PoolClient & { watched?: boolean }
  if (marked.watched) return
  marked.watched = true
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  let inFlight = 0
  ;(client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
    const result = query(...args)
    if (!(result instanceof Promise)) return result
    maxInFlight = Math.max(maxInFlight, ++inFlight)
    return result.finally(() => inFlight--)
  }
}

beforeAll(async () => {
  stored = await createStoreDatabase()
  ;({ db, store } = stored)
  db.pool.on('acquire', watch)
  process.on('warning', onWarning)
})
afterAll(async () => {
  process.off('warning', onWarning)
  await stored?.close()
})

const author = { name: 'Ada Lovelace', email: 'ada@example.com', timestamp: 1700000000 }

describe('Transaction', () => {
  it('runs 20 reads asked for at once one at a time, each with its own answer', async () => {
    maxInFlight = 0
    const answers = await db.transaction((tx) =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          tx.query<{ n: number }>('SELECT $1::int AS n', [i]).then((r) => r.rows[0].n),
        ),
      ),
    )
    expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(maxInFlight).toBe(1)
    expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([])
  })

  it('a failed query fails its caller only, and the transaction rolls back', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS tx_probe (n int)')
    const outcome = await db
      .transaction(async (tx) => {
        const [a, b] = await Promise.allSettled([
          tx.query('INSERT INTO tx_probe VALUES (1)'),
          tx.query('SELECT * FROM no_such_table'),
        ])
        expect(a.status).toBe('fulfilled')
        expect(b.status).toBe('rejected')
        throw new Error('abort')
      })
      .catch((err: Error) => err.message)
    expect(outcome).toBe('abort')
    expect((await db.query('SELECT count(*)::int AS n FROM tx_probe')).rows[0].n).toBe(0)
  })

  it('throws the first failure of a query fn started and did not wait for, writing nothing', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS tx_probe2 (n int)')
    const outcome = db.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe2 VALUES (1)')
      void tx.query('SELECT * FROM no_such_table').catch(() => {})
      void tx.query('SELECT * FROM no_such_other_table').catch(() => {})
      return 'done'
    })
    await expect(outcome).rejects.toMatchObject({ code: '42P01', message: /no_such_table"/ })
    expect((await db.query('SELECT count(*)::int AS n FROM tx_probe2')).rows[0].n).toBe(0)
  })

  it('throws when fn caught a failed query and went on: PostgreSQL would roll back', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS tx_probe3 (n int)')
    const outcome = db.transaction(async (tx) => {
      await tx.query('SELECT * FROM no_such_table').catch(() => {})
      await tx.query('SELECT 1').catch(() => {})
      return 'done'
    })
    await expect(outcome).rejects.toMatchObject({ code: '42P01' })
    await expect(
      db.transaction(async (tx) => (await tx.query('INSERT INTO tx_probe3 VALUES (2)')).rowCount),
    ).resolves.toBe(1)
    expect((await db.query('SELECT count(*)::int AS n FROM tx_probe3')).rows[0].n).toBe(1)
  })

  it('Repository.diff and concurrent reads on a store bound to a transaction', async () => {
    await store.createRepo({ name: 'diff' })
    const repo = await Repository.open({ store, name: 'diff' })
    const write = (path: string, text: string) =>
      ({ path, action: 'write', content: Buffer.from(text) }) as const
    const one = await repo.commit({
      branch: 'main',
      changes: [write('a', '1')],
      message: 'm',
      author,
    })
    const two = await repo.commit({
      branch: 'main',
      changes: [write('b', '2')],
      message: 'm',
      author,
    })
    maxInFlight = 0
    const diffs = await store.transaction(async (tx) => {
      const inTx = await Repository.open({ store: tx, name: 'diff' })
      return Promise.all(
        Array.from({ length: 10 }, () => inTx.diff({ from: one.oid, to: two.oid })),
      )
    })
    for (const d of diffs) expect(d.map((e) => [e.path, e.status])).toEqual([['b', 'A']])
    expect(maxInFlight).toBe(1)
    expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([])
  })

  it('lockRef holds a ref, present or not yet, until the transaction ends', async () => {
    const { repo } = await store.createRepo({ name: 'locks' })
    const waitFor = (check: () => Promise<boolean> | boolean) =>
      vi.waitFor(async () => expect(await check()).toBe(true), { timeout: 10_000, interval: 5 })
    const waiting = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      ).rows[0].n
    let release = () => {}
    const held = new Promise<void>((r) => (release = r))
    const order: string[] = []
    const first = store.transaction(async (tx) => {
      expect(await tx.lockRef(repo.repoId, 'refs/heads/new')).toBeNull()
      order.push('first locked')
      await held
      order.push('first done')
    })
    await waitFor(() => order.includes('first locked'))
    const second = store.transaction(async (tx) => {
      await tx.lockRef(repo.repoId, 'refs/heads/new')
      order.push('second locked')
    })
    await waitFor(async () => (await waiting()) === 1)
    expect(order).toEqual(['first locked'])
    release()
    await Promise.all([first, second])
    expect(order).toEqual(['first locked', 'first done', 'second locked'])
  })

  it('(the probe works: two queries sent at once on one bare client are seen)', async () => {
    maxInFlight = 0
    const client = await db.pool.connect()
    try {
      await Promise.all([client.query('SELECT 1'), client.query('SELECT 2')])
    } finally {
      client.release()
    }
    expect(maxInFlight).toBe(2)
  })
})
