import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAINTENANCE_JOB_LOCK, MaintenanceJob } from '../src/maintenance/maintenance-job.ts'
import { tryJobLock } from '../src/store/postgres/job-lock.ts'
import { dueProjects } from '../src/store/postgres/maintenance-queries.ts'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t?.close())

/** A job over the test database whose log entries are collected in `entries`. */
function job(options: { batchSize?: number; pauseMs?: number; pruneExpire?: string } = {}) {
  const entries: Record<string, unknown>[] = []
  const sink = { write: (line: string) => void entries.push(JSON.parse(line)) }
  const logger = pino({ level: 'info' }, sink)
  const instance = new MaintenanceJob({
    store: t.store,
    logger,
    intervalMs: 0,
    pruneExpire: options.pruneExpire ?? 'now',
    batchSize: options.batchSize ?? 1000,
    pauseMs: options.pauseMs ?? 0,
  })
  return { job: instance, entries }
}

async function fixtureProject(name: string, files = 3): Promise<void> {
  const g = new GitFixture()
  try {
    for (let i = 0; i < files; i++) g.write(`f${i}.txt`, `${name} ${i}\n`)
    g.commit('base')
    g.git('checkout', '-q', '-b', 'topic')
    g.write('topic.txt', `${name} topic\n`)
    g.commit('topic')
    g.git('checkout', '-q', 'main')
    await loadFixture(t, name, g)
  } finally {
    g.cleanup()
  }
}

const due = async () => (await dueProjects(t.db)).map((p) => p.name)

describe('MaintenanceJob', () => {
  it('maintains projects changed since their last run, never-maintained first, and logs it', async () => {
    await fixtureProject('a')
    await fixtureProject('b')
    await t.callJson('PUT', '/projects/empty')
    expect(await due()).toEqual(['a', 'b'])

    const { job: first, entries } = job()
    expect(await first.runOnce()).toEqual({
      ran: true,
      maintained: 2,
      skipped: 0,
      failed: 0,
      deletionsFinished: 0,
    })
    const done = entries.filter((e) => e.msg === 'maintenance: project done')
    expect(done.map((e) => e.project)).toEqual(['a', 'b'])
    expect(done[0]).toMatchObject({
      removed: 0,
      bytesFreed: 0,
      repacked: expect.any(Number),
      ms: expect.any(Number),
    })
    expect(await due()).toEqual([])

    // a deleted branch is a ref change: b is due again, and its branch's objects go
    expect((await t.call('DELETE', '/projects/b/branches/topic')).status).toBe(204)
    expect(await due()).toEqual(['b'])
    const { job: second, entries: logged } = job()
    expect((await second.runOnce()).maintained).toBe(1)
    const b = logged.find((e) => e.msg === 'maintenance: project done')
    expect(b).toMatchObject({ project: 'b', removed: 3 }) // topic's commit, tree and blob
    expect(b?.bytesFreed).toBeGreaterThan(0)
    // an autosave is no reason to run again
    await t.call('PUT', '/pending/a/ada/draft.txt', { body: 'draft\n' })
    expect(await due()).toEqual([])
    await first.close()
    await second.close()
  })

  it('runs on one server at a time: a pass finds the lock held and does nothing', async () => {
    await fixtureProject('c')
    const lock = await tryJobLock(t.db, MAINTENANCE_JOB_LOCK)
    expect(lock).not.toBeNull()
    const { job: other, entries } = job()
    try {
      expect(await other.runOnce()).toMatchObject({ ran: false, maintained: 0 })
      expect(entries).toEqual([])
      expect(await due()).toEqual(['c'])
    } finally {
      await lock?.release()
    }
    expect(await other.runOnce()).toMatchObject({ ran: true, maintained: 1 })
    await other.close()
  })

  it('stops promptly on close, between two batches, and a later pass finishes the work', async () => {
    await fixtureProject('slow', 40)
    const { rows } = await t.db.query('SELECT repo_id FROM repos WHERE name = $1', ['slow'])
    const repoId = rows[0].repo_id
    await t.store.transaction((tx) => tx.deleteRepo(repoId))
    const count = async () =>
      (await t.db.query('SELECT count(*)::int AS n FROM git_objects WHERE repo_id = $1', [repoId]))
        .rows[0].n as number
    const before = await count()

    const { job: slow } = job({ batchSize: 1, pauseMs: 60_000 })
    const pass = slow.runOnce()
    for (let i = 0; i < 200 && (await count()) === before; i++)
      await new Promise((r) => setTimeout(r, 10))
    const started = performance.now()
    await slow.close()
    expect(performance.now() - started).toBeLessThan(1000)
    await pass
    expect(await count()).toBeGreaterThan(0)
    expect((await t.db.query('SELECT repo_id FROM git_deleted_repos')).rows).toEqual([
      { repo_id: repoId },
    ])

    const { job: next } = job()
    expect(await next.runOnce()).toMatchObject({ ran: true, deletionsFinished: 1 })
    expect(await count()).toBe(0)
    await next.close()
  })
})
