import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitpgError } from '@gitpg/client'
import type { PruneBefore } from '@gitpg/git-pg-fs'
import {
  startGitHttpServer,
  type TestHttpServer,
} from '../packages/sync/test/support/git-http-server.ts'
import { RemoteRepo } from '../packages/sync/test/support/remote-repo.ts'
import { git, lines } from './support/git-cli.ts'
import { checkServed, maintain, storedIds } from './support/maintenance-check.ts'
import { rawPush } from './support/raw-push.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'
import { WorkRepo } from './support/work-repo.ts'

const KEY = 'maintenance-scenarios-key'
let stack: TestStack
let upstream: TestHttpServer

beforeAll(async () => {
  stack = await startTestStack({ name: 'maintenance-scenarios', apiKey: KEY })
  await mkdir(join(stack.tmp, 'remotes'))
  upstream = await startGitHttpServer({ root: join(stack.tmp, 'remotes') })
})

afterAll(async () => {
  await upstream?.close()
  await stack?.close()
})

/** A project whose main has two commits, pushed with git from a work tree that is returned. */
async function seed(project: string): Promise<{ work: WorkRepo; repoId: number }> {
  await stack.client.projects.create(project)
  const work = await WorkRepo.init(join(stack.tmp, project))
  await work.commit({ 'README.md': `# ${project}\n`, 'src/a.txt': 'a\n' }, 'first')
  await work.commit({ 'src/b.txt': 'b\n' }, 'second')
  await git(work.dir, ['push', '-q', stack.remote(project), 'main'])
  return { work, repoId: (await stack.store.getRepo(project))!.repoId }
}

const sorted = (ids: Iterable<string>) => [...ids].sort()

/**
 * After a change that left `garbage` (ids git computed) unreachable: the store holds exactly the
 * served objects plus `garbage`; a run whose prune date lies after the change but before the
 * objects were first found unreachable keeps them all; a run with `now` removes exactly them, and
 * the served repository is what it was.
 */
async function expectCollected({
  project,
  repoId,
  garbage,
  changedAt,
}: {
  project: string
  repoId: number
  garbage: string[]
  changedAt: Date
}) {
  const { store } = stack
  const url = stack.remote(project)
  expect(garbage.length).toBeGreaterThan(0)
  const before = await checkServed({ store, repoId, url, dir: join(stack.tmp, `${project}-b`) })
  const stored = await storedIds(store, repoId)
  expect(sorted([...stored].filter((oid) => !before.reachable.has(oid)))).toEqual(sorted(garbage))

  const run = (prune: PruneBefore) => maintain({ store, repoId, options: { prune } })
  const kept = await run(changedAt)
  expect(kept.gc).toMatchObject({ unreachable: garbage.length, deleted: 0 })
  expect((await store.hasObjects(repoId, garbage)).size).toBe(garbage.length)
  // the objects were first found unreachable by that run, after `changedAt`: still young
  const stillKept = await run(changedAt)
  expect(stillKept.gc).toMatchObject({ unreachable: garbage.length, deleted: 0 })

  const collected = await run('now')
  expect(collected.gc).toMatchObject({ unreachable: garbage.length, deleted: garbage.length })
  expect(collected.gc.bytesFreed).toBeGreaterThan(0)
  expect(sorted(await store.hasObjects(repoId, garbage))).toEqual([])
  expect((await store.readObjects(repoId, garbage)).size).toBe(0)
  const after = await checkServed({ store, repoId, url, dir: join(stack.tmp, `${project}-a`) })
  expect(after.refs).toEqual(before.refs)
  expect(sorted(after.reachable)).toEqual(sorted(before.reachable))
  expect(sorted(await storedIds(store, repoId))).toEqual(sorted(after.reachable))
}

describe('maintenance after changes that leave objects unreachable', () => {
  it('collects what only the refused ref of a non-atomic push needed', async () => {
    const { work, repoId } = await seed('refused')
    const base = await work.rev('main')
    await work.git('branch', 'other')
    await git(work.dir, ['push', '-q', stack.remote('refused'), 'other'])
    const main = await work.commit({ 'src/c.txt': 'c\n' }, 'third')
    await work.git('checkout', '-q', '-b', 'doomed', base)
    await work.commit({ 'doomed/one.txt': 'only the refused ref has this\n' }, 'doomed one')
    const doomed = await work.commit({ 'doomed/two.txt': 'and this\n' }, 'doomed two')
    // one pack for both refs; `other` is claimed at a value it no longer has (another writer)
    const pack = await git(work.dir, ['pack-objects', '--stdout', '--revs', '-q'], {
      input: `${main}\n${doomed}\n^${base}\n`,
    })
    const stale = await work.rev('main~2')
    const { report } = await rawPush({
      server: stack.server,
      apiKey: KEY,
      project: 'refused',
      commands: [`${base} ${main} refs/heads/main`, `${stale} ${doomed} refs/heads/other`],
      pack,
    })
    const changedAt = new Date()
    expect(report).toEqual([
      'unpack ok',
      'ok refs/heads/main',
      'ng refs/heads/other failed to update ref',
    ])
    const garbage = await work.objects(doomed, `^${main}`)
    expect(garbage.length).toBe(8)
    await expectCollected({ project: 'refused', repoId, garbage, changedAt })
  })

  it('collects the history a forced push replaced', async () => {
    const { work, repoId } = await seed('forced')
    const first = await work.rev('main~1')
    await work.commit({ 'src/a.txt': 'a, rewritten later\n', 'docs/x.md': 'x\n' }, 'third')
    const old = await work.commit({ 'docs/y.md': 'y\n' }, 'fourth')
    await git(work.dir, ['push', '-q', stack.remote('forced'), 'main'])
    await work.git('reset', '-q', '--hard', first)
    const tip = await work.commit({ 'src/a.txt': 'a, the new way\n' }, 'second, again')
    await git(work.dir, ['push', '-q', '--force', stack.remote('forced'), 'main'])
    const changedAt = new Date()
    expect((await stack.store.readRef(repoId, 'refs/heads/main'))?.oid).toBe(tip)
    const garbage = await work.objects(old, `^${tip}`)
    await expectCollected({ project: 'forced', repoId, garbage, changedAt })
  })

  for (const how of ['the HTTP API', 'git push --delete'] as const) {
    it(`collects a branch deleted through ${how}`, async () => {
      const project = how === 'the HTTP API' ? 'deleted-api' : 'deleted-git'
      const { work, repoId } = await seed(project)
      await work.git('checkout', '-q', '-b', 'topic')
      await work.commit({ 'topic/one.txt': 'one\n', 'src/a.txt': 'a on topic\n' }, 'topic one')
      const topic = await work.commit({ 'topic/deep/two.txt': 'two\n' }, 'topic two')
      await git(work.dir, ['push', '-q', stack.remote(project), 'topic'])
      if (how === 'the HTTP API') await stack.client.branches.delete({ project, name: 'topic' })
      else await git(work.dir, ['push', '-q', '--delete', stack.remote(project), 'topic'])
      const changedAt = new Date()
      expect(await stack.store.readRef(repoId, 'refs/heads/topic')).toBeNull()
      const garbage = await work.objects(topic, '^main')
      await expectCollected({ project, repoId, garbage, changedAt })
    })
  }

  it('collects a deleted branch whose old versions an earlier run archived into packs', async () => {
    const project = 'archived-topic'
    const { work, repoId } = await seed(project)
    await work.git('checkout', '-q', '-b', 'topic')
    for (let i = 0; i < 8; i++)
      await work.commit({ 'topic/notes.md': `notes ${i}\n`, 'src/a.txt': `a ${i}\n` }, `t${i}`)
    const topic = await work.rev('topic')
    await git(work.dir, ['push', '-q', stack.remote(project), 'topic'])
    const first = await maintain({ store: stack.store, repoId, options: { prune: 'now' } })
    expect(first.archive.archived).toBeGreaterThan(10)
    const garbage = await work.objects(topic, '^main')
    const { rows } = await stack.store.executor.query<{ oid: string }>(
      `SELECT encode(oid, 'hex') AS oid FROM git_objects WHERE repo_id = $1`,
      [repoId],
    )
    const asRows = new Set(rows.map((r) => r.oid))
    // the topic's old versions are packed now, its head and commits rows
    expect(garbage.filter((oid) => !asRows.has(oid)).length).toBeGreaterThan(10)
    await stack.client.branches.delete({ project, name: 'topic' })
    const changedAt = new Date()
    // the store then holds exactly what is served, packed or not
    await expectCollected({ project, repoId, garbage, changedAt })
  })

  it('collects the history a pull replaced after the remote was force-rewritten', async () => {
    const remote = new RemoteRepo(join(stack.tmp, 'remotes'), 'upstream')
    const main = remote.commit({ 'README.md': '# upstream\n', 'a.txt': 'a\n' }, 'first')
    remote.commit({ 'f.txt': 'feature 1\n' }, 'feature one', 'feature')
    const old = remote.commit({ 'f.txt': 'feature 2\n', 'lib/x.txt': 'x\n' }, 'two', 'feature')
    const url = `${upstream.url}/upstream.git`
    const project = 'pulled'
    await stack.client.projects.import(project, { url })
    const repoId = (await stack.store.getRepo(project))!.repoId
    const first = await stack.client.pull({ project, branch: 'feature' })
    expect(first).toMatchObject({ from: null, to: old })

    // upstream rewrites the branch: a pull refuses to go back and stores nothing
    remote.git('update-ref', 'refs/heads/feature', main)
    const rewritten = remote.commit({ 'f.txt': 'feature, again\n' }, 'feature redone', 'feature')
    const refused = await stack.client.pull({ project, branch: 'feature' }).catch((e) => e)
    expect(refused).toBeInstanceOf(GitpgError)
    expect(refused).toMatchObject({ code: 'DIVERGED', status: 409 })
    expect((await stack.store.hasObjects(repoId, [rewritten])).size).toBe(0)

    // following upstream: the branch goes, and the pull brings the rewritten history
    await stack.client.branches.delete({ project, name: 'feature' })
    const again = await stack.client.pull({ project, branch: 'feature' })
    const changedAt = new Date()
    expect(again).toMatchObject({ from: null, to: rewritten })
    const garbage = lines(remote.git('rev-list', '--objects', old, `^${rewritten}`, '--')).map(
      (l) => l.slice(0, 40),
    )
    expect(garbage.length).toBeGreaterThan(3)
    await expectCollected({ project, repoId, garbage, changedAt })
  })
})
