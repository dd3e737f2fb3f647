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

async function api(method: string, path: string, body?: unknown) {
  const raw = typeof body === 'string'
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'X-Internal-API-Key': KEY,
      'Content-Type': raw ? 'text/plain' : 'application/json',
      'X-Author-Name': 'Ada Lovelace',
      'X-Author-Email': 'ada@example.com',
    },
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

const rawGet = (path: string) =>
  fetch(`${server.url}${path}`, { headers: { 'X-Internal-API-Key': KEY } })

/** Every commit of `ref` through gitpg's log API, newest first. */
async function apiLog(ref: string): Promise<string[]> {
  const oids: string[] = []
  let cursor: string | null = null
  do {
    const query = `ref=${encodeURIComponent(ref)}&limit=500${cursor ? `&cursor=${cursor}` : ''}`
    const page = (await api('GET', `/projects/${PROJECT}/log?${query}`)) as {
      commits: { oid: string }[]
      next: string | null
    }
    oids.push(...page.commits.map((c) => c.oid))
    cursor = page.next
  } while (cursor)
  return oids
}

const head = async () => (await api('GET', `/projects/${PROJECT}`)).head as string

/** The client is clean and its history of `rev` is gitpg's history of main. */
async function expectAgreement(dir: string, rev: string) {
  await fsckStrict(dir)
  expect(lines(await gitOutput(dir, ['log', '--format=%H', rev]))).toEqual(await apiLog('main'))
}

/** Three commits through the HTTP API: a file written, pending changes committed, a delete. */
async function commitThroughApi(round: number) {
  const files = (await api('GET', `/files/${PROJECT}`)).files as { path: string }[]
  const readme = files.find((f) => f.path === 'README.md')!
  // a new directory whose files repeat existing blobs: shared objects under new trees
  const copy = await (await rawGet(`/files/${PROJECT}/README.md`)).text()
  await api('PUT', `/files/${PROJECT}/copies/r${round}/README.md?message=copy%20${round}`, copy)
  const paths = files.filter((f) => f.path !== readme.path).map((f) => f.path)
  const chosen = [paths[round * 7], paths[round * 7 + 3], paths[paths.length - 1 - round]]
  for (const p of chosen)
    await api('PUT', `/pending/${PROJECT}/ada/${p}`, `edit ${round} of ${p}\n`)
  await api('PUT', `/pending/${PROJECT}/ada/new/${round}/deep/file.txt`, `new in round ${round}\n`)
  await api('POST', `/pending/${PROJECT}/ada/delete/${paths[round * 7 + 5]}`)
  const committed = await api('POST', `/projects/${PROJECT}/commits`, {
    userId: 'ada',
    message: `pending changes, round ${round}`,
    author: { name: 'Ada Lovelace', email: 'ada@example.com' },
  })
  await api('DELETE', `/files/${PROJECT}/${paths[round * 7 + 1]}?message=delete%20${round}`)
  return committed.commit as string
}

beforeAll(async () => {
  stack = await startTestStack({ name: 'api-commits', apiKey: KEY })
  ;({ tmp, server } = stack)
  fixture = await buildFixtureRepo({ dir: join(tmp, 'fixture'), commits: 150, seed: 23 })
  // the source pushed with stock git, then imported like any remote, over gitpg's smart HTTP
  await api('PUT', '/projects/source', {})
  await git(fixture.dir, ['push', '-q', remote('source'), '--all'])
  await git(fixture.dir, ['push', '-q', remote('source'), '--tags'])
  await api('POST', `/projects/${PROJECT}/import`, {
    url: `${server.url}/git/source.git`,
    token: KEY,
  })
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
    const res = await fetch(`${server.url}/projects/${PROJECT}/export.bundle`, {
      headers: { 'X-Internal-API-Key': KEY },
    })
    expect(res.status).toBe(200)
    const file = join(tmp, 'after.bundle')
    await writeFile(file, Buffer.from(await res.arrayBuffer()))
    const dir = join(tmp, 'from-bundle')
    await git(tmp, [...STRICT, 'clone', '-q', file, dir])
    await expectAgreement(dir, 'HEAD')
  })
})

describe('git clients after commits through the HTTP API on a shallow import', () => {
  it('clones it full and --depth 1, and fetches the next API commit', async () => {
    await api('POST', '/projects/shallow/import', {
      url: `${server.url}/git/source.git`,
      token: KEY,
      depth: 2,
    })
    await api('PUT', '/files/shallow/api/one.txt?message=one', 'one\n')
    const full = join(tmp, 'shallow-full')
    await git(tmp, [...STRICT, 'clone', '-q', remote('shallow'), full])
    await fsckStrict(full)
    const oneBack = join(tmp, 'shallow-depth-1')
    await git(tmp, [...STRICT, 'clone', '-q', '--depth', '1', remote('shallow'), oneBack])
    await fsckStrict(oneBack)
    const put = await api('PUT', '/files/shallow/api/two.txt?message=two', 'two\n')
    for (const dir of [full, oneBack]) {
      await git(dir, [...STRICT, 'fetch', '-q', 'origin'])
      await fsckStrict(dir)
      expect((await gitOutput(dir, ['rev-parse', 'origin/main'])).trim()).toBe(put.commit)
    }
    const log = lines(await gitOutput(full, ['log', '--format=%H', 'origin/main']))
    const repoLog = (await api('GET', '/projects/shallow/log?limit=100')) as {
      commits: { oid: string }[]
    }
    expect(log).toEqual(repoLog.commits.map((c) => c.oid))
  })
})
