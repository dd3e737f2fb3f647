import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgFs } from '@gitpg/git-pg-fs'
import { craftCommit } from './support/crafted-repo.ts'
import { git } from './support/git-cli.ts'
import { LockProbe } from './support/lock-probe.ts'
import { brokenRefs, checkServed, maintain } from './support/maintenance-check.ts'
import { rawPush } from './support/raw-push.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'
import { WorkRepo } from './support/work-repo.ts'

const KEY = 'maintenance-interleavings-key'
const AUTHOR = { name: 'Writer', email: 'writer@example.com' }
const ZERO = '0'.repeat(40)
let stack: TestStack
let work: WorkRepo
let emptyPack: Buffer

beforeAll(async () => {
  stack = await startTestStack({ name: 'maintenance-interleavings', apiKey: KEY })
  work = await WorkRepo.init(join(stack.tmp, 'work'))
  await work.commit({ 'README.md': '# main\n', 'src/a.txt': 'a\n' }, 'main')
  emptyPack = await git(work.dir, ['pack-objects', '--stdout', '-q'], { input: '' })
})

afterAll(() => stack?.close())

/** A deleted branch's commit, garbage in a project of its own, and the files it added. */
interface Garbage {
  repoId: number
  oid: string
  tree: string
  files: Record<string, string>
}

async function garbageCommit(project: string): Promise<Garbage> {
  await stack.client.projects.create(project)
  await git(work.dir, ['push', '-q', stack.remote(project), 'main'])
  await work.git('checkout', '-q', '-B', 'doomed', 'main')
  const files = { [`doomed/${project}.txt`]: `only ${project}'s deleted branch has this\n` }
  const oid = await work.commit(files, `doomed in ${project}`)
  await work.git('checkout', '-q', 'main')
  await git(work.dir, ['push', '-q', stack.remote(project), `${oid}:refs/heads/doomed`])
  await stack.client.branches.delete({ project, name: 'doomed' })
  const repoId = (await stack.store.getRepo(project))!.repoId
  return { repoId, oid, tree: await work.rev(`${oid}^{tree}`), files }
}

/** A write that reaches for the garbage commit: the ref it sets, when it succeeds. */
type Write = (project: string, g: Garbage) => Promise<{ name: string; oid: string }>

const WRITES: Record<string, Write> = {
  'an annotated tag of the commit': async (project, g) => {
    const tag = await stack.client.tags.create({
      project,
      name: 'kept',
      target: g.oid,
      message: 'keep it',
      tagger: AUTHOR,
    })
    return { name: 'refs/tags/kept', oid: tag.oid }
  },
  'a lightweight tag of the commit': async (project, g) => {
    await stack.client.tags.create({ project, name: 'kept', target: g.oid })
    return { name: 'refs/tags/kept', oid: g.oid }
  },
  'a branch at the commit': async (project, g) => {
    await stack.client.branches.create({ project, name: 'kept', from: g.oid })
    return { name: 'refs/heads/kept', oid: g.oid }
  },
  'a push of the commit with an empty pack': async (project, g) => {
    const name = 'refs/heads/kept'
    const { report } = await rawPush({
      server: stack.server,
      apiKey: KEY,
      project,
      commands: [`${ZERO} ${g.oid} ${name}`],
      pack: emptyPack,
    })
    if (report[1] !== `ok ${name}`) throw new Error(report.join('; '))
    return { name, oid: g.oid }
  },
  'a git push of a new commit on the deleted one, its pack carrying it again': async (
    project,
    g,
  ) => {
    await work.git('checkout', '-q', '--detach', g.oid)
    const oid = await work.commit({ [`on-${project}.txt`]: 'built on it\n' }, 'built on it')
    await work.git('checkout', '-q', 'main')
    await git(work.dir, ['push', '-q', stack.remote(project), `${oid}:refs/heads/kept`])
    return { name: 'refs/heads/kept', oid }
  },
  'an API commit of the same files on another branch': async (project, g) => {
    const user = { project, userId: 'restorer' }
    await stack.client.branches.create({ project, name: 'kept', from: 'main' })
    for (const [path, content] of Object.entries(g.files))
      await stack.client.pending.save({ ...user, path, content })
    const { commit } = await stack.client.commits.create({
      ...user,
      message: 'the same tree again',
      author: AUTHOR,
      branch: 'kept',
    })
    return { name: 'refs/heads/kept', oid: commit }
  },
}

describe('a write that starts while a deletion batch removes what it reaches for', () => {
  for (const [what, write] of Object.entries(WRITES)) {
    it(`${what}: refused, or its history whole`, async () => {
      const project = what.toLowerCase().split(' ').slice(0, 3).join('-')
      const g = await garbageCommit(project)
      const url = stack.database.url
      // the batch stops at the commit's row, holding the GC lock exclusively, its re-check done
      const probe = await LockProbe.holdObject({ url, repoId: g.repoId, oid: g.oid })
      let written: Promise<{ name: string; oid: string } | Error> = Promise.resolve(
        new Error('not started'),
      )
      const collected = maintain({
        store: stack.store,
        repoId: g.repoId,
        options: { prune: 'now' },
      })
      try {
        await probe.waitFor({ event: 'transactionid', query: 'DELETE FROM git_objects' })
        // the write checks what it needs (all still there) and waits for the GC lock
        written = write(project, g).catch((err: Error) => err)
        await Promise.race([
          probe.waitFor({ event: 'advisory', query: 'pg_advisory_xact_lock_shared' }),
          written,
        ])
      } finally {
        await probe.release()
      }
      const report = await collected
      const result = await written
      expect(report.gc.deleted).toBeGreaterThanOrEqual(4)
      expect(await brokenRefs({ store: stack.store, repoId: g.repoId })).toEqual({})
      const served = await checkServed({
        store: stack.store,
        repoId: g.repoId,
        url: stack.remote(project),
        dir: join(stack.tmp, project),
      })
      if (!(result instanceof Error)) expect(served.refs.get(result.name)).toBe(result.oid)
    })
  }
})

describe('the prune age', () => {
  it('keeps what a recent object reaches, as git keeps what recent loose objects reach', async () => {
    const project = 'recent'
    const g = await garbageCommit(project)
    const { store } = stack
    const first = await maintain({ store, repoId: g.repoId, options: { prune: 'never' } })
    expect(first.gc).toMatchObject({ unreachable: 4, kept: 4, deleted: 0 })
    // an isomorphic-git writer (the fs adapter): a commit reusing the deleted commit's tree is
    // stored as a loose object; the ref that points at it comes later, in a transaction of its own
    const fs = createPgFs({ store, repoId: g.repoId, gitdir: '/repo.git' })
    const commit = craftCommit({ tree: g.tree, parents: [await work.rev('main')] })
    const loose = Buffer.concat([Buffer.from(`commit ${commit.content.length}\0`), commit.content])
    const at = `/repo.git/objects/${commit.oid.slice(0, 2)}/${commit.oid.slice(2)}`
    await fs.promises.writeFile(at, deflateSync(loose))
    // a prune age that lets go of what was unreachable before the commit was written, not after
    const cutoff = new Date()
    const second = await maintain({ store, repoId: g.repoId, options: { prune: cutoff } })
    expect(second.gc.unreachable).toBe(5)
    await fs.promises.writeFile('/repo.git/refs/heads/recent', `${commit.oid}\n`)
    expect(await brokenRefs({ store, repoId: g.repoId })).toEqual({})
    const dir = join(stack.tmp, project)
    const served = await checkServed({ store, repoId: g.repoId, url: stack.remote(project), dir })
    expect(served.refs.get('refs/heads/recent')).toBe(commit.oid)
    // the deleted commit itself, which nothing recent reaches, went
    expect((await store.hasObjects(g.repoId, [g.oid])).size).toBe(0)
  })
})
