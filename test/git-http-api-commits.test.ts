import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '@gitpg/server'
import { buildFixtureRepo, type FixtureRepo } from './support/fixture-repo.ts'
import { git, gitOutput, lines } from './support/git-cli.ts'
import { fsckStrict } from './support/export-objects.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'

const KEY = 'api-commits-test-key'
const PROJECT = 'imported'
/** index-pack --strict on every pack received: an object left out fails the clone or fetch */
const STRICT = ['-c', 'transfer.fsckObjects=true']
let stack: TestStack
let tmp: string
let fixture: FixtureRepo
let server: RunningServer

const remote = (project: string) => stack.remote(project)

const AUTHOR = { name: 'Ada Lovelace', email: 'ada@example.com' }

/** Every commit of `ref` through gitpg's log API, newest first. */
async function apiLog(ref: string): Promise<string[]> {
  const oids: string[] = []
  for await (const commit of stack.client.logAll({ project: PROJECT, ref, limit: 500 }))
    oids.push(commit.oid)
  return oids
}

const head = async () => (await stack.client.projects.get(PROJECT)).head!

/** The client is clean and its history of `rev` is gitpg's history of main. */
async function expectAgreement(dir: string, rev: string) {
  await fsckStrict(dir)
  expect(lines(await gitOutput(dir, ['log', '--format=%H', rev]))).toEqual(await apiLog('main'))
}

/** Three commits through the HTTP API: a file written, pending changes committed, a delete. */
async function commitThroughApi(round: number) {
  const { files, pending } = stack.client
  const listed = (await files.list({ project: PROJECT })).files
  const readme = listed.find((f) => f.path === 'README.md')!
  // a new directory whose files repeat existing blobs: shared objects under new trees
  const copy = await files.readText({ project: PROJECT, path: 'README.md' })
  await files.write({
    project: PROJECT,
    path: `copies/r${round}/README.md`,
    content: copy,
    message: `copy ${round}`,
    author: AUTHOR,
  })
  const paths = listed.filter((f) => f.path !== readme.path).map((f) => f.path)
  const chosen = [paths[round * 7], paths[round * 7 + 3], paths[paths.length - 1 - round]]
  const ada = { project: PROJECT, userId: 'ada' }
  for (const path of chosen)
    await pending.save({ ...ada, path, content: `edit ${round} of ${path}\n` })
  await pending.save({
    ...ada,
    path: `new/${round}/deep/file.txt`,
    content: `new in round ${round}\n`,
  })
  await pending.recordDeletion({ ...ada, path: paths[round * 7 + 5] })
  const committed = await stack.client.commits.create({
    ...ada,
    message: `pending changes, round ${round}`,
    author: AUTHOR,
  })
  await files.delete({
    project: PROJECT,
    path: paths[round * 7 + 1],
    message: `delete ${round}`,
    author: AUTHOR,
  })
  return committed.commit
}

beforeAll(async () => {
  stack = await startTestStack({ name: 'api-commits', apiKey: KEY })
  ;({ tmp, server } = stack)
  fixture = await buildFixtureRepo({ dir: join(tmp, 'fixture'), commits: 150, seed: 23 })
  // the source pushed with stock git, then imported like any remote, over gitpg's smart HTTP
  await stack.client.projects.create('source')
  await git(fixture.dir, ['push', '-q', remote('source'), '--all'])
  await git(fixture.dir, ['push', '-q', remote('source'), '--tags'])
  await stack.client.projects.import(PROJECT, { url: `${server.url}/git/source.git`, token: KEY })
})

afterAll(() => stack?.close())

describe('git clients after commits through the HTTP API on an imported project', () => {
  let early: string
  let earlyShallow: string

  it('clones the imported project before any API commit', async () => {
    early = join(tmp, 'early')
    earlyShallow = join(tmp, 'early-shallow')
    await git(tmp, [...STRICT, 'clone', '-q', remote(PROJECT), early])
    await git(tmp, [...STRICT, 'clone', '-q', '--depth', '1', remote(PROJECT), earlyShallow])
    await expectAgreement(early, 'HEAD')
  })

  it('serves a full clone that git fsck --strict accepts, with the same history', async () => {
    await commitThroughApi(1)
    const tip = await commitThroughApi(2)
    expect(tip).not.toBe(await head())
    const dir = join(tmp, 'after')
    await git(tmp, [...STRICT, 'clone', '-q', remote(PROJECT), dir])
    await expectAgreement(dir, 'HEAD')
    expect((await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()).toBe(await head())
    expect(await gitOutput(dir, ['status', '--porcelain'])).toBe('')
    expect(await readFile(join(dir, 'new/2/deep/file.txt'), 'utf8')).toBe('new in round 2\n')
  })

  it('serves a --depth 1 clone of the API commit', async () => {
    const dir = join(tmp, 'after-shallow')
    await git(tmp, [...STRICT, 'clone', '-q', '--depth', '1', remote(PROJECT), dir])
    await fsckStrict(dir)
    expect((await gitOutput(dir, ['rev-list', '--count', 'HEAD'])).trim()).toBe('1')
    expect((await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()).toBe(await head())
  })

  it('fetches the API commits into earlier full and shallow clones', async () => {
    await git(early, [...STRICT, 'fetch', '-q', 'origin'])
    await expectAgreement(early, 'origin/main')
    await git(earlyShallow, [...STRICT, 'fetch', '-q', 'origin'])
    await fsckStrict(earlyShallow)
    expect((await gitOutput(earlyShallow, ['rev-parse', 'origin/main'])).trim()).toBe(await head())
    await git(earlyShallow, ['merge', '-q', '--ff-only', 'origin/main'])
    expect(await readFile(join(earlyShallow, 'new/1/deep/file.txt'), 'utf8')).toBe(
      'new in round 1\n',
    )
  })

  it('fetches again after a push and more API commits on top of it', async () => {
    await git(early, ['merge', '-q', '--ff-only', 'origin/main'])
    await writeFile(join(early, 'pushed.txt'), 'from git\n')
    await git(early, ['add', 'pushed.txt'])
    await git(early, ['commit', '-q', '-m', 'pushed with git'], {
      env: {
        GIT_AUTHOR_NAME: 'Grace Hopper',
        GIT_AUTHOR_EMAIL: 'grace@example.org',
        GIT_COMMITTER_NAME: 'Grace Hopper',
        GIT_COMMITTER_EMAIL: 'grace@example.org',
      },
    })
    await git(early, ['push', '-q', 'origin', 'main'])
    await commitThroughApi(3)
    await git(early, [...STRICT, 'fetch', '-q', 'origin'])
    await expectAgreement(early, 'origin/main')
    await git(earlyShallow, [...STRICT, 'fetch', '-q', 'origin'])
    await fsckStrict(earlyShallow)
  })

  it('exports the API commits as a bundle git clones', async () => {
    const bundle = await stack.client.projects.exportBundle(PROJECT)
    const file = join(tmp, 'after.bundle')
    await writeFile(file, Buffer.from(await new Response(bundle).arrayBuffer()))
    const dir = join(tmp, 'from-bundle')
    await git(tmp, [...STRICT, 'clone', '-q', file, dir])
    await expectAgreement(dir, 'HEAD')
  })
})

describe('git clients after commits through the HTTP API on a shallow import', () => {
  it('clones it full and --depth 1, and fetches the next API commit', async () => {
    const { client } = stack
    await client.projects.import('shallow', {
      url: `${server.url}/git/source.git`,
      token: KEY,
      depth: 2,
    })
    await client.files.write({
      project: 'shallow',
      path: 'api/one.txt',
      content: 'one\n',
      message: 'one',
    })
    const full = join(tmp, 'shallow-full')
    await git(tmp, [...STRICT, 'clone', '-q', remote('shallow'), full])
    await fsckStrict(full)
    const oneBack = join(tmp, 'shallow-depth-1')
    await git(tmp, [...STRICT, 'clone', '-q', '--depth', '1', remote('shallow'), oneBack])
    await fsckStrict(oneBack)
    const put = await client.files.write({
      project: 'shallow',
      path: 'api/two.txt',
      content: 'two\n',
      message: 'two',
    })
    for (const dir of [full, oneBack]) {
      await git(dir, [...STRICT, 'fetch', '-q', 'origin'])
      await fsckStrict(dir)
      expect((await gitOutput(dir, ['rev-parse', 'origin/main'])).trim()).toBe(put.commit)
    }
    const log = lines(await gitOutput(full, ['log', '--format=%H', 'origin/main']))
    const repoLog = await client.log({ project: 'shallow', limit: 100 })
    expect(log).toEqual(repoLog.commits.map((c) => c.oid))
  })
})
