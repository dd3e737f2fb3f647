import { tryLockMaintenance } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { runCli } from './support/run-cli.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t?.close())

const gitpg = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli({
    args: ['maintenance', ...args],
    env: { DATABASE_URL: t.url, GITPG_PRUNE_EXPIRE: undefined, ...env },
  })

/** A project whose deleted branch left `unique` objects no ref reaches; returns their ids. */
async function withDeletedBranch(name: string): Promise<string[]> {
  const g = new GitFixture()
  let unique: string[]
  try {
    g.write('a.txt', `${name}\n`)
    g.commit('base')
    g.git('checkout', '-q', '-b', 'topic')
    for (let i = 0; i < 4; i++) g.write(`topic/${i}.txt`, `${name} topic ${i}\n`.repeat(30))
    g.commit('topic')
    g.git('checkout', '-q', 'main')
    unique = g
      .git('rev-list', '--objects', 'topic', '^main')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(0, 40))
    await loadFixture(t, name, g)
  } finally {
    g.cleanup()
  }
  expect((await t.call('DELETE', `/projects/${name}/branches/topic`)).status).toBe(204)
  return unique
}

async function repoIdOf(name: string): Promise<number> {
  const { rows } = await t.db.query('SELECT repo_id FROM repos WHERE name = $1', [name])
  return rows[0].repo_id
}

const storedCount = async (name: string, oids: string[]) =>
  (await t.store.hasObjects(await repoIdOf(name), oids)).size

describe('gitpg maintenance', () => {
  it('--help describes the command', async () => {
    const res = await gitpg(['--help'])
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^Usage: gitpg maintenance \[<project>\] \[--prune=<age>\|now\]/)
    expect(res.stdout).toMatch(/--dry-run/)
    const list = await runCli({ args: ['--help'] })
    expect(list.stdout).toMatch(/maintenance +repack and collect garbage/)
  })

  it('collects a project with --prune=now; --dry-run counts and changes nothing', async () => {
    const unique = await withDeletedBranch('one')
    const dry = await gitpg(['one', '--prune=now', '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(new RegExp(`^one: would remove ${unique.length} objects`))
    expect(await storedCount('one', unique)).toBe(unique.length)

    const kept = await gitpg(['one'])
    expect(kept.stdout).toMatch(/^one: removed 0 objects .* kept \d+ unreachable/)
    expect(await storedCount('one', unique)).toBe(unique.length)

    const res = await gitpg(['one', '--prune', 'now'])
    expect([res.code, res.stderr]).toEqual([0, ''])
    expect(res.stdout).toMatch(
      new RegExp(
        `^one: removed ${unique.length} objects \\([\\d.]+ [KM]?i?B freed\\), repacked \\d+ objects .* in [\\d.]+s\\n$`,
      ),
    )
    expect(await storedCount('one', unique)).toBe(0)
    expect((await t.call('GET', '/files/one/a.txt')).status).toBe(200)
  })

  it('takes its default prune age from GITPG_PRUNE_EXPIRE', async () => {
    const unique = await withDeletedBranch('two')
    expect((await gitpg(['two'])).code).toBe(0)
    expect(await storedCount('two', unique)).toBe(unique.length)
    const res = await gitpg(['two'], { GITPG_PRUNE_EXPIRE: 'now' })
    expect(res.stdout).toMatch(new RegExp(`^two: removed ${unique.length} objects`))
    expect(await storedCount('two', unique)).toBe(0)
  })

  it('without a project, maintains every one, as JSON lines with --json', async () => {
    const unique = await withDeletedBranch('three')
    const res = await gitpg(['--json', '--prune=now'])
    expect(res.code).toBe(0)
    const lines = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((l) => l.project)).toEqual(['one', 'three', 'two'])
    const three = lines.find((l) => l.project === 'three')
    expect(three).toMatchObject({ dryRun: false, skipped: false })
    expect(three.report.gc.deleted).toBe(unique.length)
    expect(await storedCount('three', unique)).toBe(0)
  })

  it('skips a project a run holds elsewhere, and says so', async () => {
    const lock = await tryLockMaintenance(t.db, await repoIdOf('one'))
    try {
      const res = await gitpg(['one'])
      expect(res.code).toBe(0)
      expect(res.stdout).toBe('one: skipped, a maintenance run is under way elsewhere\n')
      const json = await gitpg(['--json'])
      expect(JSON.parse(json.stdout.split('\n')[0])).toEqual({
        project: 'one',
        dryRun: false,
        skipped: true,
        report: null,
      })
    } finally {
      await lock?.release()
    }
  })

  it('finishes a deletion a crash left queued', async () => {
    await withDeletedBranch('gone')
    const repoId = await repoIdOf('gone')
    await t.store.transaction((tx) => tx.deleteRepo(repoId))
    const { rows } = await t.db.query(
      'SELECT count(*)::int AS n FROM git_objects WHERE repo_id = $1',
      [repoId],
    )
    expect(rows[0].n).toBeGreaterThan(0)
    const res = await gitpg([])
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^finished 1 deleted projects \(\d+ rows removed\)\n/)
    const after = await t.db.query(
      'SELECT count(*)::int AS n FROM git_objects WHERE repo_id = $1',
      [repoId],
    )
    expect(after.rows[0].n).toBe(0)
    expect((await t.db.query('SELECT * FROM git_deleted_repos')).rows).toEqual([])
  })

  it('fails with one line and a non-zero exit', async () => {
    for (const [args, reason] of [
      [['--prune=soon'], /prune must be an age/],
      [['missing'], /project missing does not exist/],
      [['a', 'b'], /unexpected argument b/],
      [['--frobnicate'], /frobnicate/],
    ] as const) {
      const res = await gitpg([...args])
      expect(res.code, args.join(' ')).not.toBe(0)
      expect(res.stderr).toMatch(reason)
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
    }
  })
})
