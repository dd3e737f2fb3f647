import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Database } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { createStore } from '../src/store/postgres/create-store.ts'
import { git, gitOutput } from '../../../test/support/git-cli.ts'
import { API_KEY, createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t?.close())

const author = { name: 'Ada Lovelace', email: 'ada@example.com' }
const pendingPaths = async (project: string, userId: string) =>
  (await t.callJson('GET', `/pending/${project}/${userId}`)).body.changes.map(
    (c: { path: string }) => c.path,
  )
const head = async (project: string) => (await t.callJson('GET', `/projects/${project}`)).body.head

describe('POST /projects/:projectId/commits', () => {
  it('commits all pending changes as one commit and clears them', async () => {
    await t.callJson('PUT', '/projects/c1')
    await t.callJson('PUT', '/files/c1/keep.md', { body: 'keep\n' })
    await t.callJson('PUT', '/files/c1/gone.md', { body: 'gone\n' })
    const before = await head('c1')
    await t.call('PUT', '/pending/c1/ada/keep.md', { body: 'kept and changed\n' })
    await t.call('PUT', '/pending/c1/ada/dir/new.md', { body: 'new\n' })
    await t.call('POST', '/pending/c1/ada/delete/gone.md')
    await t.call('PUT', '/pending/c1/bob/bob.md', { body: 'bob\n' })

    const res = await t.callJson('POST', '/projects/c1/commits', {
      json: { userId: 'ada', message: 'Save work', author },
    })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      branch: 'main',
      parent: before,
      paths: ['dir/new.md', 'gone.md', 'keep.md'],
    })
    expect(await head('c1')).toBe(res.body.commit)
    const commit = await t.callJson('GET', `/projects/c1/commits/${res.body.commit}`)
    expect(commit.body.message).toBe('Save work\n')
    expect(commit.body.author).toMatchObject(author)
    expect(
      commit.body.changes.map((c: { path: string; status: string }) => [c.path, c.status]),
    ).toEqual([
      ['dir/new.md', 'A'],
      ['gone.md', 'D'],
      ['keep.md', 'M'],
    ])
    expect(await pendingPaths('c1', 'ada')).toEqual([])
    expect(await pendingPaths('c1', 'bob')).toEqual(['bob.md'])
    expect(await (await t.call('GET', '/files/c1/keep.md')).text()).toBe('kept and changed\n')
  })

  it('commits only `paths` and leaves the other pending changes', async () => {
    await t.callJson('PUT', '/projects/c2')
    await t.call('PUT', '/pending/c2/ada/a.md', { body: 'a' })
    await t.call('PUT', '/pending/c2/ada/b.md', { body: 'b' })
    const res = await t.callJson('POST', '/projects/c2/commits', {
      json: { userId: 'ada', message: 'only a', author, paths: ['./a.md'] },
    })
    expect(res.status).toBe(201)
    expect(res.body.parent).toBeNull()
    expect(res.body.paths).toEqual(['a.md'])
    expect(await pendingPaths('c2', 'ada')).toEqual(['b.md'])
    expect(
      (await t.callJson('GET', '/files/c2')).body.files.map((f: { path: string }) => f.path),
    ).toEqual(['a.md'])
  })

  it('nothing to commit is 422 NOTHING_TO_COMMIT and no commit', async () => {
    await t.callJson('PUT', '/projects/c3')
    await t.callJson('PUT', '/files/c3/a.md', { body: 'a' })
    const before = await head('c3')
    const none = await t.callJson('POST', '/projects/c3/commits', {
      json: { userId: 'ada', message: 'm', author },
    })
    expect(none.status).toBe(422)
    expect(none.body.error.code).toBe('NOTHING_TO_COMMIT')
    await t.call('PUT', '/pending/c3/ada/a.md', { body: 'a' })
    const same = await t.callJson('POST', '/projects/c3/commits', {
      json: { userId: 'ada', message: 'm', author },
    })
    expect(same.status).toBe(422)
    expect(same.body.error.code).toBe('NOTHING_TO_COMMIT')
    const otherPaths = await t.callJson('POST', '/projects/c3/commits', {
      json: { userId: 'ada', message: 'm', author, paths: ['b.md'] },
    })
    expect(otherPaths.status).toBe(422)
    expect(await head('c3')).toBe(before)
    expect(await pendingPaths('c3', 'ada')).toEqual(['a.md'])
  })

  it('a stale expectedHead is 409 with the current head: nothing committed, nothing cleared', async () => {
    await t.callJson('PUT', '/projects/c4')
    const first = (await t.callJson('PUT', '/files/c4/a.md', { body: '1' })).body.commit
    const second = (await t.callJson('PUT', '/files/c4/a.md', { body: '2' })).body.commit
    await t.call('PUT', '/pending/c4/ada/b.md', { body: 'b' })
    const res = await t.callJson('POST', '/projects/c4/commits', {
      json: { userId: 'ada', message: 'm', author, expectedHead: first },
    })
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({
      code: 'REF_CONFLICT',
      head: second,
      expectedHead: first,
    })
    expect(await head('c4')).toBe(second)
    expect(await pendingPaths('c4', 'ada')).toEqual(['b.md'])
    const ok = await t.callJson('POST', '/projects/c4/commits', {
      json: { userId: 'ada', message: 'm', author, expectedHead: second },
    })
    expect(ok.status).toBe(201)
  })

  it('two users committing on the same expectedHead at once: one 201, one 409', async () => {
    await t.callJson('PUT', '/projects/c5')
    for (let round = 0; round < 4; round++) {
      const base = await head('c5')
      await t.call('PUT', `/pending/c5/ada/ada${round}.md`, { body: 'a' })
      await t.call('PUT', `/pending/c5/bob/bob${round}.md`, { body: 'b' })
      const [a, b] = await Promise.all(
        ['ada', 'bob'].map((userId) =>
          t.callJson('POST', '/projects/c5/commits', {
            json: { userId, message: userId, author, ...(base ? { expectedHead: base } : {}) },
          }),
        ),
      )
      if (base === null) {
        // without expectedHead both land, one after the other
        expect([a.status, b.status]).toEqual([201, 201])
        continue
      }
      expect([a.status, b.status].sort()).toEqual([201, 409])
      const winner = a.status === 201 ? a : b
      const loser = a.status === 201 ? 'bob' : 'ada'
      expect((a.status === 409 ? a : b).body.error.head).toBe(winner.body.commit)
      expect(await head('c5')).toBe(winner.body.commit)
      expect(await pendingPaths('c5', loser)).toEqual([`${loser}${round}.md`])
      await t.call('DELETE', `/pending/c5/${loser}`)
    }
  })

  it('two commits of the same user at once commit the changes exactly once', async () => {
    await t.callJson('PUT', '/projects/c6')
    await t.call('PUT', '/pending/c6/ada/x.md', { body: 'x' })
    const results = await Promise.all(
      [1, 2].map(() =>
        t.callJson('POST', '/projects/c6/commits', {
          json: { userId: 'ada', message: 'm', author },
        }),
      ),
    )
    const statuses = results.map((r) => r.status).sort()
    expect(statuses[0]).toBe(201)
    expect([409, 422]).toContain(statuses[1])
    const log = await t.callJson('GET', '/projects/c6/log')
    expect(log.body.commits).toHaveLength(1)
    expect(await pendingPaths('c6', 'ada')).toEqual([])
  })

  it('a failure while clearing the pending rows aborts the commit (one transaction)', async () => {
    await t.callJson('PUT', '/projects/c7')
    await t.callJson('PUT', '/files/c7/base.md', { body: 'base' })
    const before = await head('c7')
    await t.call('PUT', '/pending/c7/ada/a.md', { body: 'a1' })
    // the clear fails inside the commit's transaction: the branch must not move
    await t.db.query(`CREATE FUNCTION c7_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'boom'; END $$`)
    await t.db.query(
      `CREATE TRIGGER c7_bump BEFORE DELETE ON pending_changes FOR EACH ROW EXECUTE FUNCTION c7_bump()`,
    )
    try {
      const res = await t.callJson('POST', '/projects/c7/commits', {
        json: { userId: 'ada', message: 'm', author },
      })
      expect(res.status).toBe(500)
      expect(JSON.stringify(res.body)).not.toMatch(/boom|DELETE|pending_changes/)
      expect(await head('c7')).toBe(before)
      expect(await pendingPaths('c7', 'ada')).toEqual(['a.md'])
    } finally {
      await t.db.query('DROP TRIGGER c7_bump ON pending_changes')
      await t.db.query('DROP FUNCTION c7_bump')
    }
    const ok = await t.callJson('POST', '/projects/c7/commits', {
      json: { userId: 'ada', message: 'm', author },
    })
    expect(ok.status).toBe(201)
  })

  it('a pending row saved again before the clear aborts the commit with PENDING_CONFLICT', async () => {
    await t.callJson('PUT', '/projects/c8')
    await t.callJson('PUT', '/files/c8/base.md', { body: 'base' })
    const before = await head('c8')
    await t.call('PUT', '/pending/c8/ada/a.md', { body: 'old' })
    // make the clear find a different version, as if a save landed between read and commit
    await t.db.query(`CREATE FUNCTION c8_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE pending_changes SET version = nextval('pending_change_version'), content = 'new'
        WHERE user_id = 'ada' AND path = 'a.md'; RETURN NULL; END $$`)
    await t.db.query(`CREATE TRIGGER c8_bump AFTER INSERT ON git_objects
      FOR EACH STATEMENT EXECUTE FUNCTION c8_bump()`)
    try {
      const res = await t.callJson('POST', '/projects/c8/commits', {
        json: { userId: 'ada', message: 'm', author },
      })
      expect(res.status).toBe(409)
      expect(res.body.error.code).toBe('PENDING_CONFLICT')
    } finally {
      await t.db.query('DROP TRIGGER c8_bump ON git_objects')
      await t.db.query('DROP FUNCTION c8_bump')
    }
    expect(await head('c8')).toBe(before)
    expect(await (await t.call('GET', '/pending/c8/ada/a.md')).text()).toBe('old')
  })
})

describe('commits and paths', () => {
  it('a path 256 directories deep commits and reads back; a deeper one is refused', async () => {
    await t.callJson('PUT', '/projects/p1')
    const deep = `${Array.from({ length: 255 }, () => 'd').join('/')}/leaf.md`
    const put = await t.callJson('PUT', `/files/p1/${deep}`, { body: 'deep' })
    expect(put.status).toBe(201)
    await t.call('PUT', `/pending/p1/ada/${deep}`, { body: 'deeper' })
    expect(
      (
        await t.callJson('POST', '/projects/p1/commits', {
          json: { userId: 'ada', message: 'm', author },
        })
      ).status,
    ).toBe(201)
    expect(await (await t.call('GET', `/files/p1/${deep}`)).text()).toBe('deeper')
    const list = await t.callJson('GET', '/files/p1')
    expect(list.body.files.map((f: { path: string }) => f.path)).toEqual([deep])
    const tooDeep = `${Array.from({ length: 1500 }, () => 'd').join('/')}/leaf.md`
    for (const [method, route] of [
      ['PUT', `/files/p1/${tooDeep}`],
      ['PUT', `/pending/p1/ada/${tooDeep}`],
    ] as const) {
      const res = await t.callJson(method, route, { body: 'x' })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('INVALID_PATH')
    }
  })

  it('a pending deletion of file a and a pending write of a/b commit together', async () => {
    await t.callJson('PUT', '/projects/p2')
    await t.callJson('PUT', '/files/p2/a', { body: 'file' })
    await t.call('POST', '/pending/p2/ada/delete/a')
    expect((await t.call('PUT', '/pending/p2/ada/a/b', { body: 'inside' })).status).toBe(200)
    const res = await t.callJson('POST', '/projects/p2/commits', {
      json: { userId: 'ada', message: 'm', author },
    })
    expect(res.status).toBe(201)
    const files = (await t.callJson('GET', '/files/p2')).body.files
    expect(files.map((f: { path: string }) => f.path)).toEqual(['a/b'])
  })

  it('a branch that made a pending file a directory meanwhile is 409 PATH_CONFLICT; work kept', async () => {
    await t.callJson('PUT', '/projects/p3')
    await t.callJson('PUT', '/files/p3/base.md', { body: 'base' })
    await t.call('PUT', '/pending/p3/ada/x', { body: 'a file' })
    const moved = (await t.callJson('PUT', '/files/p3/x/y', { body: 'a directory' })).body.commit
    const res = await t.callJson('POST', '/projects/p3/commits', {
      json: { userId: 'ada', message: 'm', author },
    })
    expect([res.status, res.body.error.code]).toEqual([409, 'PATH_CONFLICT'])
    expect(await head('p3')).toBe(moved)
    expect(await pendingPaths('p3', 'ada')).toEqual(['x'])
  })
})

describe('commits under contention', () => {
  /** A second server instance over the same database, with its own pool and caches. */
  async function secondInstance() {
    const db = new Database({ connectionString: t.db.pool.options.connectionString! })
    const app = createApp({ store: createStore(db), db, config: { apiKey: API_KEY } })
    const commit = (project: string, json: unknown) =>
      app.request(`/projects/${project}/commits`, {
        method: 'POST',
        headers: { 'X-Internal-API-Key': API_KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify(json),
      })
    return { app, commit, close: () => db.close() }
  }

  it('100 committers on one branch over two instances, without expectedHead, all land', async () => {
    await t.callJson('PUT', '/projects/k1')
    await t.callJson('PUT', '/files/k1/shared.md', { body: 'base\n' })
    const users = Array.from({ length: 100 }, (_, i) => `u${i}`)
    for (const u of users) {
      await t.call('PUT', `/pending/k1/${u}/own/${u}.md`, { body: `${u}\n` })
      // every tenth also writes the one path they all share: the last to commit wins
      if (Number(u.slice(1)) % 10 === 0)
        await t.call('PUT', `/pending/k1/${u}/shared.md`, { body: `by ${u}\n` })
    }
    const other = await secondInstance()
    // sessions waiting for a branch's advisory lock: each instance queues its own commits of a
    // branch, so one of the two waits on the other's (without the queue, up to 99 would). The
    // sampler may see two: pg_stat_activity is no consistent snapshot, so a session granted the
    // lock a moment ago can still read as waiting beside the next one.
    let maxWaiting = 0
    let done = false
    const sampler = (async () => {
      while (!done) {
        const { rows } = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'
             AND wait_event = 'advisory'`,
        )
        maxWaiting = Math.max(maxWaiting, rows[0].n)
        await new Promise((r) => setTimeout(r, 5))
      }
    })()
    try {
      const results = await Promise.all(
        users.map(async (u, i) => {
          const json = { userId: u, message: `from ${u}`, author }
          const res =
            i % 2 === 0
              ? await t.call('POST', '/projects/k1/commits', { json })
              : await other.commit('k1', json)
          return { status: res.status, body: await res.json() }
        }),
      )
      expect(results.filter((r) => r.status !== 201)).toEqual([])
    } finally {
      done = true
      await sampler
      await other.close()
    }
    expect(maxWaiting).toBeLessThanOrEqual(2)
    const log = await t.callJson('GET', '/projects/k1/log?limit=500')
    expect(log.body.commits).toHaveLength(101)
    expect(new Set(log.body.commits.map((c: { message: string }) => c.message))).toEqual(
      new Set(['Update shared.md\n', ...users.map((u) => `from ${u}\n`)]),
    )
    // one line of history: every commit has the one before it as its only parent
    const commits = log.body.commits as { oid: string; parents: string[]; message: string }[]
    commits.slice(0, -1).forEach((c, i) => expect(c.parents).toEqual([commits[i + 1].oid]))
    for (const u of users) expect(await pendingPaths('k1', u)).toEqual([])
    const files = (await t.callJson('GET', '/files/k1')).body.files.map(
      (f: { path: string }) => f.path,
    )
    expect(files).toEqual([...users.map((u) => `own/${u}.md`).sort(), 'shared.md'])
    const lastShared = commits.find((c) => /^from u\d*0\n$/.test(c.message))!.message.slice(5, -1)
    expect(await (await t.call('GET', '/files/k1/shared.md')).text()).toBe(`by ${lastShared}\n`)

    const dir = await mkdtemp(join(tmpdir(), 'gitpg-contention-'))
    try {
      const bundle = Buffer.from(
        await (await t.call('GET', '/projects/k1/export.bundle')).arrayBuffer(),
      )
      await writeFile(join(dir, 'k1.bundle'), bundle)
      await git(dir, ['clone', '--quiet', 'k1.bundle', 'clone'])
      await git(join(dir, 'clone'), ['fsck', '--strict'])
      const count = await gitOutput(join(dir, 'clone'), ['rev-list', '--count', 'HEAD'])
      expect(count.trim()).toBe('101')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it('of a racing set with one expectedHead, exactly one lands; the others keep their work', async () => {
    await t.callJson('PUT', '/projects/k2')
    const base = (await t.callJson('PUT', '/files/k2/a.md', { body: 'a' })).body.commit
    const users = Array.from({ length: 10 }, (_, i) => `r${i}`)
    for (const u of users) await t.call('PUT', `/pending/k2/${u}/${u}.md`, { body: u })
    const other = await secondInstance()
    let results
    try {
      results = await Promise.all(
        users.map(async (u, i) => {
          const json = { userId: u, message: u, author, expectedHead: base }
          const res =
            i % 2 === 0
              ? await t.call('POST', '/projects/k2/commits', { json })
              : await other.commit('k2', json)
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
          return { u, status: res.status, body: (await res.json()) as any }
        }),
      )
    } finally {
      await other.close()
    }
    const won = results.filter((r) => r.status === 201)
    expect(won).toHaveLength(1)
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409)
      expect(r.body.error).toMatchObject({ code: 'REF_CONFLICT', head: won[0].body.commit })
      expect(await pendingPaths('k2', r.u)).toEqual([`${r.u}.md`])
    }
    expect(await head('k2')).toBe(won[0].body.commit)
    expect((await t.callJson('GET', '/projects/k2/log')).body.commits).toHaveLength(2)
  })

  it('single-file commits from two instances at once all land', async () => {
    await t.callJson('PUT', '/projects/k3')
    const other = await secondInstance()
    const otherPut = (path: string, body: string) =>
      other.app.request(`/files/k3/${path}`, {
        method: 'PUT',
        headers: { 'X-Internal-API-Key': API_KEY },
        body,
      })
    let statuses: number[]
    try {
      statuses = await Promise.all(
        Array.from({ length: 30 }, async (_, i) =>
          i % 2 === 0
            ? (await t.call('PUT', `/files/k3/f${i}.md`, { body: `${i}` })).status
            : (await otherPut(`f${i}.md`, `${i}`)).status,
        ),
      )
    } finally {
      await other.close()
    }
    expect(statuses.filter((s) => s !== 201)).toEqual([])
    expect((await t.callJson('GET', '/files/k3')).body.files).toHaveLength(30)
  })
})
