import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { Database } from '@gitpg/git-pg-fs'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp } from '../src/app.ts'
import { FeedNotifier } from '../src/feed/feed-notifier.ts'
import { createStore } from '../src/store/postgres/create-store.ts'
import { FeedCompactor } from '../src/feed/feed-compactor.ts'
import { runMigrations } from '../src/store/postgres/run-migrations.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { PrivateCluster } from '../../../test/support/private-cluster.ts'

const KEY = 'feed-test-key'

interface Instance {
  url: string
  stop(): Promise<void>
}

/** One gitpg server process-equivalent: its own pool, notifier and socket over the shared DB. */
async function startInstance(databaseUrl: string): Promise<Instance> {
  const db = new Database({ connectionString: databaseUrl })
  const notifier = new FeedNotifier({ connectionString: databaseUrl })
  await notifier.start()
  const app = createApp({
    store: createStore(db),
    db,
    notifier,
    config: { apiKey: KEY },
    logger: pino({ level: 'silent' }),
  })
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    )
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
      await notifier.close()
      await db.close()
    },
  }
}

const headers = { 'X-Internal-API-Key': KEY }

async function api(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

async function save(base: string, user: string, path: string, content: string) {
  const res = await fetch(`${base}/pending/feed/${user}/${path}`, {
    method: 'PUT',
    headers,
    body: content,
  })
  expect(res.status).toBe(200)
  await res.arrayBuffer()
}

/** Saves once the database answers again: pooled connections may have died with it. */
async function saveAfterOutage(base: string, user: string, path: string, content: string) {
  await vi.waitFor(
    async () => {
      const res = await fetch(`${base}/pending/feed/${user}/${path}`, {
        method: 'PUT',
        headers,
        body: content,
      })
      await res.arrayBuffer()
      expect(res.status).toBe(200)
    },
    { timeout: 10_000, interval: 100 },
  )
}

/** A save while the database is down is refused (5xx), never acknowledged. */
async function expectRefusedDuringOutage(base: string, user: string, path: string) {
  const res = await fetch(`${base}/pending/feed/${user}/${path}`, {
    method: 'PUT',
    headers,
    body: 'never stored',
  })
  expect(res.status).toBeGreaterThanOrEqual(500)
  await res.arrayBuffer()
}

/** Migrates the database, starts two instances over it, and creates the project `feed`. */
async function startPair(databaseUrl: string): Promise<[Instance, Instance]> {
  const db = new Database({ connectionString: databaseUrl })
  await runMigrations(db)
  await db.close()
  const pair: [Instance, Instance] = [
    await startInstance(databaseUrl),
    await startInstance(databaseUrl),
  ]
  expect((await api(pair[0].url, 'PUT', '/projects/feed', {})).status).toBeLessThan(300)
  return pair
}

/** The stream holds exactly these paths, once each, with consecutive cursors. */
function expectExactly(events: SseEvent[], paths: string[]) {
  expect(events.map((e) => e.data.path)).toEqual(paths)
  const ids = events.map((e) => BigInt(e.id))
  ids.forEach((id, i) => i > 0 && expect(id).toBe(ids[i - 1] + 1n))
}

interface SseEvent {
  id: string
  event: string
  data: {
    cursor: string
    kind: string
    path: string | null
    content?: string
    [k: string]: unknown
  }
  receivedAt: number
}

/** A live change stream: collects events until closed. */
function openStream(base: string, lastEventId?: string) {
  const controller = new AbortController()
  const events: SseEvent[] = []
  const waiters: (() => void)[] = []
  let connected!: () => void
  const ready = new Promise<void>((resolve) => (connected = resolve))
  const done = (async () => {
    const res = await fetch(`${base}/projects/feed/changes`, {
      headers: {
        ...headers,
        Accept: 'text/event-stream',
        ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
      },
      signal: controller.signal,
    })
    expect(res.status).toBe(200)
    connected()
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        let split: number
        while ((split = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, split)
          buffer = buffer.slice(split + 2)
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => l && !l.startsWith(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trimStart()]),
          )
          if (!fields.data) continue
          events.push({
            id: fields.id,
            event: fields.event,
            data: JSON.parse(fields.data),
            receivedAt: Date.now(),
          })
          waiters.splice(0).forEach((w) => w())
        }
      }
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err
    }
  })()
  return {
    events,
    /** settles once the server has answered the stream's request */
    ready,
    async waitFor(n: number, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (events.length < n) {
        if (Date.now() > deadline) throw new Error(`stream got ${events.length} of ${n} events`)
        await new Promise<void>((r) => {
          waiters.push(r)
          setTimeout(r, 100)
        })
      }
    },
    async close() {
      controller.abort()
      await done.catch(() => {})
    },
  }
}

describe('change feed', () => {
  let database: TestDatabase
  let one: Instance
  let two: Instance

  beforeAll(async () => {
    database = await createTestDatabase()
    ;[one, two] = await startPair(database.url)
  })

  afterAll(async () => {
    await one?.stop()
    await two?.stop()
    await database?.drop()
  })

  it('records every change with its cursor, in order, with small content inline', async () => {
    const before = await api(one.url, 'GET', '/projects/feed/changes')
    await save(one.url, 'ada', 'notes/a.md', 'hello')
    await save(one.url, 'ada', 'notes/b.md', 'world')
    const commit = await api(one.url, 'POST', '/projects/feed/commits', {
      userId: 'ada',
      message: 'notes',
      author: { name: 'Ada', email: 'ada@example.com' },
      paths: ['notes/a.md'],
    })
    expect(commit.status).toBe(201)
    await api(one.url, 'DELETE', '/pending/feed/ada/notes/b.md')
    const after = await api(one.url, 'GET', `/projects/feed/changes?since=${before.body.cursor}`)
    const kinds = after.body.changes.map((e: SseEvent['data']) => `${e.kind} ${e.path ?? e.ref}`)
    expect(kinds).toEqual([
      'pending.saved notes/a.md',
      'pending.saved notes/b.md',
      'pending.discarded notes/a.md',
      'ref.updated refs/heads/main',
      'pending.discarded notes/b.md',
    ])
    const first = after.body.changes[0]
    expect(Buffer.from(first.content, 'base64').toString()).toBe('hello')
    expect(first).toMatchObject({ userId: 'ada', action: 'created', size: 5 })
    expect(after.body.changes[3]).toMatchObject({
      from: null,
      to: commit.body.commit.oid ?? commit.body.commit,
    })
    const cursors = after.body.changes.map((e: SseEvent['data']) => BigInt(e.cursor))
    cursors.forEach((c: bigint, i: number) => i > 0 && expect(c).toBe(cursors[i - 1] + 1n))
    expect(after.body.cursor).toBe(String(cursors[cursors.length - 1]))
    const page = await api(
      one.url,
      'GET',
      `/projects/feed/changes?since=${before.body.cursor}&limit=2`,
    )
    expect(page.body.changes.map((e: SseEvent['data']) => e.cursor)).toEqual(
      after.body.changes.slice(0, 2).map((e: SseEvent['data']) => e.cursor),
    )
  })

  it('records branch moves, single-file commits and pending deletions', async () => {
    const before = await api(one.url, 'GET', '/projects/feed/changes')
    const head = (await api(one.url, 'GET', '/projects/feed')).body.head
    expect((await api(one.url, 'POST', '/projects/feed/branches', { name: 'topic' })).status).toBe(
      201,
    )
    const put = await fetch(`${one.url}/files/feed/docs/x.md?branch=topic&message=x`, {
      method: 'PUT',
      headers,
      body: 'x',
    })
    expect(put.status).toBeLessThan(300)
    await put.arrayBuffer()
    const topic = (await api(one.url, 'GET', '/projects/feed/branches')).body.branches.find(
      (b: { name: string }) => b.name === 'topic',
    ).oid
    expect((await api(one.url, 'DELETE', '/projects/feed/branches/topic')).status).toBeLessThan(300)
    expect((await api(one.url, 'POST', '/pending/feed/ada/delete/notes/a.md')).status).toBeLessThan(
      300,
    )
    const after = await api(one.url, 'GET', `/projects/feed/changes?since=${before.body.cursor}`)
    expect(after.body.changes.map((e: SseEvent['data']) => [e.kind, e.ref ?? e.path])).toEqual([
      ['ref.updated', 'refs/heads/topic'],
      ['ref.updated', 'refs/heads/topic'],
      ['ref.updated', 'refs/heads/topic'],
      ['pending.deleted', 'notes/a.md'],
    ])
    expect(after.body.changes[0]).toMatchObject({ from: null, to: head })
    expect(after.body.changes[1]).toMatchObject({ from: head, to: topic })
    expect(after.body.changes[2]).toMatchObject({ from: topic, to: null })
    expect(after.body.changes[3]).toMatchObject({ userId: 'ada', action: 'deleted' })
    await api(one.url, 'DELETE', '/pending/feed/ada/notes/a.md')
  })

  it('writes a change and its event in one transaction: no change without its event', async () => {
    const db = new Database({ connectionString: database.url })
    const before = await api(one.url, 'GET', '/projects/feed/changes')
    const head = (await api(one.url, 'GET', '/projects/feed')).body.head
    try {
      await db.query(`CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'feed unavailable'; END $$`)
      await db.query(`CREATE TRIGGER refuse_event BEFORE INSERT ON project_events
        FOR EACH ROW EXECUTE FUNCTION refuse_event()`)
      const saved = await fetch(`${one.url}/pending/feed/eve/atomic.md`, {
        method: 'PUT',
        headers,
        body: 'lost',
      })
      expect(saved.status).toBe(500)
      await saved.arrayBuffer()
      const put = await fetch(`${one.url}/files/feed/atomic.md?message=x`, {
        method: 'PUT',
        headers,
        body: 'lost',
      })
      expect(put.status).toBe(500)
      await put.arrayBuffer()
    } finally {
      await db.query('DROP TRIGGER IF EXISTS refuse_event ON project_events')
      await db.query('DROP FUNCTION IF EXISTS refuse_event()')
      await db.close()
    }
    expect((await api(one.url, 'GET', '/pending/feed/eve')).body.changes).toEqual([])
    expect((await api(one.url, 'GET', '/projects/feed')).body.head).toBe(head)
    const after = await api(one.url, 'GET', `/projects/feed/changes?since=${before.body.cursor}`)
    expect(after.body.changes).toEqual([])
  })

  it('never leaks another project and rejects bad cursors', async () => {
    expect((await api(one.url, 'PUT', '/projects/other', {})).status).toBeLessThan(300)
    await save(one.url, 'bob', 'secret.txt', 'other project')
    const other = await api(one.url, 'GET', '/projects/other/changes')
    expect(other.body.changes).toEqual([])
    const feed = await api(one.url, 'GET', '/projects/feed/changes')
    expect(feed.body.changes.some((e: SseEvent['data']) => e.path === 'secret.txt')).toBe(true)
    expect((await api(one.url, 'GET', '/projects/feed/changes?since=abc')).status).toBe(400)
    const missing = await api(one.url, 'GET', '/projects/nope/changes')
    expect([missing.status, missing.body.error.code]).toEqual([404, 'PROJECT_NOT_FOUND'])
    const limit = await api(one.url, 'GET', '/projects/feed/changes?limit=0')
    expect([limit.status, limit.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
    const badId = await api(one.url, 'GET', '/projects/..bad%20id/changes')
    expect([badId.status, badId.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
  })

  it('a cursor past the newest event is 400 INVALID_CURSOR, never an answer that skips', async () => {
    await save(one.url, 'ada', 'ahead.txt', 'x')
    const newest = (await api(one.url, 'GET', '/projects/feed/changes?limit=5000')).body.cursor
    const at = await api(two.url, 'GET', `/projects/feed/changes?since=${newest}`)
    expect([at.status, at.body.changes, at.body.cursor]).toEqual([200, [], newest])
    const ahead = String(BigInt(newest) + 5n)
    const res = await api(two.url, 'GET', `/projects/feed/changes?since=${ahead}`)
    expect([res.status, res.body.error.code, res.body.error.newest]).toEqual([
      400,
      'INVALID_CURSOR',
      newest,
    ])
    const stream = await fetch(`${two.url}/projects/feed/changes`, {
      headers: { ...headers, Accept: 'text/event-stream', 'Last-Event-ID': ahead },
    })
    expect(stream.status).toBe(400)
    expect(((await stream.json()) as { error: { code: string } }).error.code).toBe('INVALID_CURSOR')
    // events that then arrive are all there from the newest cursor the client had
    await save(one.url, 'ada', 'ahead.txt', 'y')
    const next = await api(one.url, 'GET', `/projects/feed/changes?since=${newest}`)
    expect(next.body.changes.map((e: SseEvent['data']) => e.path)).toEqual(['ahead.txt'])
  })

  it('delivers an autosave on instance 1 to a stream on instance 2 within a second', async () => {
    const start = await api(two.url, 'GET', '/projects/feed/changes')
    const stream = openStream(two.url, start.body.cursor)
    try {
      await stream.ready
      const latencies: number[] = []
      for (let i = 0; i < 10; i++) {
        const sent = Date.now()
        await save(one.url, 'ada', `live/${i}.md`, `v${i}`)
        await stream.waitFor(i + 1)
        latencies.push(stream.events[i].receivedAt - sent)
      }
      expect(stream.events.map((e) => e.data.path)).toEqual(
        [...Array(10)].map((_, i) => `live/${i}.md`),
      )
      expect(Math.max(...latencies)).toBeLessThan(1000)
    } finally {
      await stream.close()
    }
  })

  it('resumes after an instance restarts with no missing and no duplicated event', async () => {
    const start = await api(one.url, 'GET', '/projects/feed/changes')
    let stream = openStream(two.url, start.body.cursor)
    await stream.ready
    await save(one.url, 'ada', 'r/1.md', '1')
    await save(one.url, 'ada', 'r/2.md', '2')
    await stream.waitFor(2)
    await stream.close()
    const seen = [...stream.events]
    await two.stop()
    await save(one.url, 'ada', 'r/3.md', '3')
    await save(one.url, 'ada', 'r/4.md', '4')
    two = await startInstance(database.url)
    stream = openStream(two.url, seen[seen.length - 1].id)
    await save(one.url, 'ada', 'r/5.md', '5')
    await stream.waitFor(3)
    await stream.close()
    const all = [...seen, ...stream.events].map((e) => e.data.path)
    expect(all).toEqual(['r/1.md', 'r/2.md', 'r/3.md', 'r/4.md', 'r/5.md'])
  })

  it('resumes across a Postgres restart mid-stream with no missing and no duplicated event', async () => {
    const name = new URL(database.url).pathname.slice(1)
    const admin = new Database({ connectionString: database.url.replace(`/${name}`, '/postgres') })
    const start = await api(one.url, 'GET', '/projects/feed/changes')
    const stream = openStream(two.url, start.body.cursor)
    try {
      await stream.ready
      await save(one.url, 'ada', 'pg/1.md', '1')
      await stream.waitFor(1)
      // What clients see of a restart: every connection dropped, new ones refused for a while.
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`)
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
        [name],
      )
      await expectRefusedDuringOutage(one.url, 'ada', 'pg/lost.md')
      // the streaming instance has seen the outage too before the database comes back
      await vi.waitFor(async () => expect((await fetch(`${two.url}/health`)).status).toBe(503), {
        timeout: 10_000,
        interval: 50,
      })
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
      for (const i of [2, 3]) await saveAfterOutage(one.url, 'ada', `pg/${i}.md`, String(i))
      // a last event: anything duplicated would come before it
      await save(one.url, 'ada', 'pg/last.md', 'last')
      await stream.waitFor(4, 10_000)
      expectExactly(stream.events, ['pg/1.md', 'pg/2.md', 'pg/3.md', 'pg/last.md'])
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => {})
      await admin.close()
      await stream.close()
    }
  })

  it('compacts events past retention on a timer; older cursors get CURSOR_EXPIRED', async () => {
    const db = new Database({ connectionString: database.url })
    const compactor = new FeedCompactor({
      db,
      retentionSeconds: 3600,
      intervalMs: 50,
      logger: pino({ level: 'silent' }),
    })
    try {
      const kept = await api(one.url, 'GET', '/projects/feed/changes')
      expect(kept.body.changes.length).toBeGreaterThan(0)
      await db.query(`UPDATE project_events SET created_at = now() - interval '2 days'`)
      compactor.start()
      const res = await vi.waitFor(
        async () => {
          const answer = await api(one.url, 'GET', '/projects/feed/changes?since=1')
          expect(answer.status).toBe(410)
          return answer
        },
        { timeout: 5_000, interval: 50 },
      )
      expect(res.body.error.code).toBe('CURSOR_EXPIRED')
      const streamed = await fetch(`${one.url}/projects/feed/changes`, {
        headers: { ...headers, Accept: 'text/event-stream', 'Last-Event-ID': '1' },
      })
      expect(streamed.status).toBe(410)
      await streamed.arrayBuffer()
      expect((await db.query('SELECT count(*)::int AS n FROM project_events')).rows[0].n).toBe(0)
      // the head cursor stays valid: a client that was up to date loses nothing
      const head = await api(one.url, 'GET', `/projects/feed/changes?since=${kept.body.cursor}`)
      expect(head.status).toBe(200)
      await save(one.url, 'ada', 'after.md', 'x')
      const fresh = await api(one.url, 'GET', '/projects/feed/changes')
      expect(fresh.body.changes.map((e: SseEvent['data']) => e.path)).toEqual(['after.md'])
    } finally {
      await compactor.close()
      await db.close()
    }
  })
})

describe('change feed across a real PostgreSQL restart', () => {
  let cluster: PrivateCluster
  let one: Instance
  let two: Instance

  beforeAll(async () => {
    cluster = await PrivateCluster.create()
    ;[one, two] = await startPair(cluster.url)
  }, 60_000)

  afterAll(async () => {
    await one?.stop()
    await two?.stop()
    cluster?.destroy()
  })

  it('a stream on one instance resumes with no missing and no duplicated event', async () => {
    const start = await api(one.url, 'GET', '/projects/feed/changes')
    const stream = openStream(two.url, start.body.cursor)
    try {
      await stream.ready
      await save(one.url, 'ada', 'crash/1.md', '1')
      await stream.waitFor(1)
      cluster.kill()
      await expectRefusedDuringOutage(one.url, 'ada', 'crash/lost.md')
      cluster.start()
      for (const i of [2, 3]) await saveAfterOutage(one.url, 'ada', `crash/${i}.md`, String(i))
      // a last event: anything duplicated would come before it
      await save(one.url, 'ada', 'crash/last.md', 'last')
      await stream.waitFor(4, 15_000)
      expectExactly(stream.events, ['crash/1.md', 'crash/2.md', 'crash/3.md', 'crash/last.md'])
    } finally {
      await stream.close()
    }
  }, 60_000)
})
