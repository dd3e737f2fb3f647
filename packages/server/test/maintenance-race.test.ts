import { maintainRepo, PostgresStore } from '@gitpg/git-pg-fs'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t?.close())
afterEach(() => vi.restoreAllMocks())

/** A project whose deleted `old` branch leaves history nothing reaches; returns its tip. */
async function projectWithDeletedBranch(name: string) {
  const g = new GitFixture()
  try {
    g.write('a.txt', 'a\n')
    g.commit('base')
    g.git('checkout', '-q', '-b', 'old')
    g.write('old.txt', 'only the old branch has this\n')
    g.commit('old')
    const tip = g.git('rev-parse', 'old').trim()
    const objects = g
      .git('rev-list', '--objects', 'old', '^main')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(0, 40))
    g.git('checkout', '-q', 'main')
    await loadFixture(t, name, g)
    const { rows } = await t.db.query('SELECT repo_id FROM repos WHERE name = $1', [name])
    expect((await t.call('DELETE', `/projects/${name}/branches/old`)).status).toBe(204)
    return { repoId: rows[0].repo_id as number, tip, objects }
  } finally {
    g.cleanup()
  }
}

/**
 * Runs maintenance with prune=now the first time a transaction writes objects or moves a ref
 * (after the writer's own existence checks), until the run ends or waits for the writer.
 */
function collectMidWrite(repoId: number, method: 'writeObjects' | 'updateRefs') {
  let run: Promise<unknown> | null = null
  const original = PostgresStore.prototype[method] as (...args: unknown[]) => Promise<unknown>
  vi.spyOn(PostgresStore.prototype, method).mockImplementation(async function (
    this: PostgresStore,
    ...args: unknown[]
  ) {
    if (!run) {
      let waiting = () => {}
      const waited = new Promise<void>((resolve) => (waiting = resolve))
      run = maintainRepo({
        store: t.store,
        repoId,
        options: { prune: 'now', log: (e) => e === 'gc-wait' && waiting() },
      })
      await Promise.race([run, waited])
    }
    return original.apply(this, args)
  } as never)
  return () => run
}

describe('maintenance racing the API', () => {
  it('never leaves an annotated tag on a commit collected while the tag was made', async () => {
    const { repoId, tip, objects } = await projectWithDeletedBranch('tag-race')
    const ran = collectMidWrite(repoId, 'writeObjects')
    const res = await t.callJson('POST', '/projects/tag-race/tags', {
      json: { name: 'v1', target: tip, message: 'revived\n' },
    })
    expect(res.status).toBe(201)
    await ran()
    expect(ran()).not.toBeNull()
    expect((await t.store.hasObjects(repoId, objects)).size).toBe(objects.length)
  })

  it('never makes a branch of a commit collected while the branch was made', async () => {
    const { repoId, tip, objects } = await projectWithDeletedBranch('branch-race')
    const ran = collectMidWrite(repoId, 'updateRefs')
    const res = await t.callJson('POST', '/projects/branch-race/branches', {
      json: { name: 'revived', from: tip },
    })
    await ran()
    expect(ran()).not.toBeNull()
    expect(res.status).toBe(201)
    expect((await t.store.hasObjects(repoId, objects)).size).toBe(objects.length)
  })
})
