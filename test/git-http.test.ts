import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  FLUSH,
  Repository,
  parsePktLines,
  pktLine,
  receivePack,
  writePack,
  type PostgresStore,
  type AppliedRefUpdate,
} from '@gitpg/git-pg-fs'
import type { RunningServer } from '@gitpg/server'
import { buildFixtureRepo, type FixtureRepo } from './support/fixture-repo.ts'
import { GIT_ENV, git, gitOutput, gitRefs, lines } from './support/git-cli.ts'
import { fsckStrict } from './support/export-objects.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'
import { rawPush } from './support/raw-push.ts'

const run = promisify(execFile)
const KEY = 'git-http-test-key'
const ZERO = '0'.repeat(40)
let stack: TestStack
let tmp: string
let fixture: FixtureRepo
let server: RunningServer
let store: PostgresStore

const remote = (project: string, key?: string) => stack.remote(project, key)
const api = (method: string, path: string, body?: unknown) => stack.api(method, path, body)

const open = (project: string) => Repository.open({ store, name: project })

/** Every commit of `ref` in gitpg, newest first, through the log API's pages. */
async function gitpgLog(project: string, ref: string): Promise<string[]> {
  const repo = await open(project)
  const oids: string[] = []
  let page = await repo.log({ ref })
  for (;;) {
    oids.push(...page.commits.map((c) => c.oid))
    if (!page.next) return oids
    page = await repo.log({ ref, cursor: page.next })
  }
}

const gitLog = async (dir: string, rev: string) =>
  lines(await gitOutput(dir, ['log', '--format=%H', rev]))

interface RefEvent {
  kind: string
  ref?: string
  from?: string | null
  to?: string | null
}

/** The project's change feed from `since` to its end: the events and the cursor to go on from. */
async function feed(project: string, since?: string) {
  const events: RefEvent[] = []
  let cursor = since
  for (;;) {
    const query = `limit=5000${cursor ? `&since=${cursor}` : ''}`
    const res = await api('GET', `/projects/${project}/changes?${query}`)
    expect(res.status).toBe(200)
    const page = (await res.json()) as { changes: RefEvent[]; cursor: string }
    events.push(...page.changes)
    if (page.changes.length === 0 || page.cursor === cursor) return { events, cursor: page.cursor }
    cursor = page.cursor
  }
}

const refEvents = (events: RefEvent[]) =>
  events
    .filter((e) => e.kind === 'ref.updated')
    .map(({ ref, from, to }) => ({ ref, from: from ?? null, to: to ?? null }))

/** `git push` that is expected to fail: resolves with git's stderr. */
async function failingPush(dir: string, args: string[]): Promise<string> {
  try {
    await run('git', ['-C', dir, 'push', ...args], { env: GIT_ENV })
  } catch (err) {
    return (err as { stderr: string }).stderr
  }
  throw new Error(`git push ${args.join(' ')} succeeded`)
}

/** The client is clean, and gitpg and git agree on the branch's history. */
async function expectAgreement(dir: string, project: string, branch: string, rev: string) {
  await fsckStrict(dir)
  expect(await gitpgLog(project, branch)).toEqual(await gitLog(dir, rev))
}

async function clone(project: string, name: string, args: string[] = []) {
  const dir = join(tmp, name)
  await git(tmp, ['clone', '-q', ...args, remote(project), dir])
  return dir
}

const author = { name: 'Ada Lovelace', email: 'ada@example.com' }
const gitEnv = {
  GIT_AUTHOR_NAME: author.name,
  GIT_AUTHOR_EMAIL: author.email,
  GIT_COMMITTER_NAME: author.name,
  GIT_COMMITTER_EMAIL: author.email,
}

async function commitFile(dir: string, path: string, content: string, message: string) {
  const file = join(dir, path)
  await mkdir(join(file, '..'), { recursive: true })
  await writeFile(file, content)
  await git(dir, ['add', '--', path])
  await git(dir, ['commit', '-q', '-m', message], { env: gitEnv })
  return (await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()
}

/** A raw push: pkt-line commands, a flush, a pack; returns the report-status lines. */
const push = async (project: string, commands: string[], pack: Buffer, caps?: string) =>
  (await rawPush({ server, apiKey: KEY, project, commands, pack, caps })).report

beforeAll(async () => {
  stack = await startTestStack({ name: 'git-http', apiKey: KEY })
  ;({ tmp, server, store } = stack)
  fixture = await buildFixtureRepo({ dir: join(tmp, 'fixture'), commits: 300, seed: 7 })
  expect((await api('PUT', '/projects/fixture', {})).status).toBe(201)
  await git(fixture.dir, ['push', '-q', remote('fixture'), '--all'])
  await git(fixture.dir, ['push', '-q', remote('fixture'), '--tags'])
})

afterAll(() => stack?.close())

describe('git smart HTTP', () => {
  it('takes a whole repository pushed with stock git', async () => {
    const pushed = await gitRefs(fixture.dir)
    const stored = (await store.listRefs((await open('fixture')).repoId, 'refs/'))
      .map((r) => ({ name: r.name, oid: r.oid }))
      .sort((a, b) => (a.name < b.name ? -1 : 1))
    expect(stored).toEqual(pushed)
    const advertised = lines(await gitOutput(tmp, ['ls-remote', remote('fixture')]))
    expect(advertised[0]).toBe(`${pushed.find((r) => r.name === 'refs/heads/main')!.oid}\tHEAD`)
    expect(advertised.some((l) => l.endsWith('^{}'))).toBe(true)
  })

  it('serves a full clone that git fsck --strict accepts, with the same history', async () => {
    const dir = await clone('fixture', 'full')
    await expectAgreement(dir, 'fixture', 'main', 'HEAD')
    expect(await gitRefs(dir)).toEqual(
      expect.arrayContaining([
        ...(await gitRefs(fixture.dir)).filter((r) => r.name.startsWith('refs/tags/')),
      ]),
    )
    const feature = await gitOutput(dir, ['rev-parse', 'origin/feature'])
    expect(feature.trim()).toBe((await gitOutput(fixture.dir, ['rev-parse', 'feature'])).trim())
    expect((await gitOutput(dir, ['symbolic-ref', 'HEAD'])).trim()).toBe('refs/heads/main')
  })

  it('serves a --depth 1 clone', async () => {
    const dir = await clone('fixture', 'shallow', ['--depth', '1', '--no-single-branch'])
    await fsckStrict(dir)
    expect((await gitOutput(dir, ['rev-list', '--count', 'HEAD'])).trim()).toBe('1')
    const head = (await gitOutput(fixture.dir, ['rev-parse', 'main'])).trim()
    expect(await readFile(join(dir, '.git', 'shallow'), 'utf8')).toContain(head)
    expect((await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()).toBe(head)
    expect((await gitOutput(dir, ['rev-parse', 'HEAD^{tree}'])).trim()).toBe(
      (await gitOutput(fixture.dir, ['rev-parse', 'main^{tree}'])).trim(),
    )
  })

  it('deepens a shallow clone and unshallows it', async () => {
    const dir = await clone('fixture', 'deepen', ['--depth', '1'])
    await git(dir, ['fetch', '-q', '--depth', '5'])
    expect((await gitOutput(dir, ['rev-list', '--count', '--first-parent', 'HEAD'])).trim()).toBe(
      '5',
    )
    await fsckStrict(dir)
    await git(dir, ['fetch', '-q', '--unshallow'])
    await expectAgreement(dir, 'fixture', 'main', 'HEAD')
  })

  it('fetches commits made through the API, incrementally', async () => {
    const dir = await clone('fixture', 'fetcher')
    const repo = await open('fixture')
    const result = await repo.commit({
      branch: 'main',
      changes: [
        { path: 'src/new/api.txt', action: 'write', content: Buffer.from('from the API\n') },
      ],
      message: 'commit through the API',
      author,
    })
    const { stderr } = await run('git', ['-C', dir, 'fetch', '--progress', 'origin'], {
      env: GIT_ENV,
    })
    // the commit, its new root tree, two new trees on the path and the blob: nothing else
    expect(stderr).toContain('remote: Enumerating objects: 5, done.')
    expect((await gitOutput(dir, ['rev-parse', 'origin/main'])).trim()).toBe(result.oid)
    await expectAgreement(dir, 'fixture', 'main', 'origin/main')
  })

  it('fetches into a shallow clone after new commits', async () => {
    const dir = await clone('fixture', 'shallow-fetch', ['--depth', '1'])
    const repo = await open('fixture')
    const result = await repo.commit({
      branch: 'main',
      changes: [{ path: 'shallow.txt', action: 'write', content: Buffer.from('next\n') }],
      message: 'on top of a shallow clone',
      author,
    })
    await git(dir, ['fetch', '-q', 'origin'])
    await fsckStrict(dir)
    expect((await gitOutput(dir, ['rev-parse', 'origin/main'])).trim()).toBe(result.oid)
    expect((await gitOutput(dir, ['rev-list', '--count', 'origin/main'])).trim()).toBe('2')
  })

  it('takes pushed commits and a new branch, and records them in the change feed', async () => {
    const dir = await clone('fixture', 'pusher')
    const before = await open('fixture').then((r) => r.resolveRef('main'))
    const { cursor } = await feed('fixture')
    await commitFile(dir, 'pushed/one.txt', 'one\n', 'first pushed commit')
    const head = await commitFile(dir, 'pushed/two.txt', 'two\n', 'second pushed commit')
    await git(dir, ['push', '-q', 'origin', 'main'])
    await git(dir, ['checkout', '-q', '-b', 'pushed-topic'])
    const topic = await commitFile(dir, 'topic.txt', 'topic\n', 'on a new branch')
    await git(dir, ['push', '-q', 'origin', 'pushed-topic'])
    const repo = await open('fixture')
    expect(await repo.resolveRef('main')).toBe(head)
    expect(await repo.resolveRef('pushed-topic')).toBe(topic)
    await expectAgreement(dir, 'fixture', 'main', 'origin/main')
    await expectAgreement(dir, 'fixture', 'pushed-topic', 'pushed-topic')
    const file = await repo.readFile({ ref: 'pushed-topic', path: 'pushed/two.txt' })
    expect(file.content.toString()).toBe('two\n')
    expect(refEvents((await feed('fixture', cursor)).events)).toEqual([
      { ref: 'refs/heads/main', from: before, to: head },
      { ref: 'refs/heads/pushed-topic', from: null, to: topic },
    ])
  })

  it('rejects a non-fast-forward push and takes it when forced', async () => {
    const a = await clone('fixture', 'racer-a')
    const b = await clone('fixture', 'racer-b')
    const ahead = await commitFile(a, 'race.txt', 'a\n', 'a wins')
    await git(a, ['push', '-q', 'origin', 'main'])
    const behind = await commitFile(b, 'race.txt', 'b\n', 'b is stale')
    const { cursor } = await feed('fixture')
    // git's own words: it does not have the new tip yet, then it has it and it is not an ancestor
    expect(await failingPush(b, ['origin', 'main'])).toMatch(
      /! \[rejected\] +main -> main \(fetch first\)\n.*failed to push some refs/s,
    )
    await git(b, ['fetch', '-q', 'origin'])
    expect(await failingPush(b, ['origin', 'main'])).toMatch(
      /! \[rejected\] +main -> main \(non-fast-forward\)\n.*failed to push some refs/s,
    )
    const repo = await open('fixture')
    expect(await repo.resolveRef('main')).toBe(ahead)
    await expectAgreement(b, 'fixture', 'main', 'origin/main')
    expect(refEvents((await feed('fixture', cursor)).events)).toEqual([])
    await git(b, ['push', '-q', '--force', 'origin', 'main'])
    expect(await repo.resolveRef('main')).toBe(behind)
    expect(refEvents((await feed('fixture', cursor)).events)).toEqual([
      { ref: 'refs/heads/main', from: ahead, to: behind },
    ])
    await git(a, ['fetch', '-q', 'origin'])
    await expectAgreement(a, 'fixture', 'main', 'origin/main')
    await expectAgreement(b, 'fixture', 'main', 'main')
  })

  it('refuses a stale update at the server like git (failed to update ref)', async () => {
    const repo = await open('fixture')
    const head = await repo.resolveRef('main')
    const parent = (await repo.readCommit(head)).parents[0]
    const empty = await writePack([])
    const report = await push('fixture', [`${parent} ${head} refs/heads/main`], empty)
    expect(report).toEqual(['unpack ok', 'ng refs/heads/main failed to update ref'])
    expect(await repo.resolveRef('main')).toBe(head)
    const created = await push('fixture', [`${ZERO} ${parent} refs/heads/from-raw`], empty)
    expect(created).toEqual(['unpack ok', 'ok refs/heads/from-raw'])
    const atomic = await push(
      'fixture',
      [`${ZERO} ${head} refs/heads/atomic-a`, `${ZERO} ${head} refs/heads/from-raw`],
      empty,
      'report-status atomic',
    )
    expect(atomic).toEqual([
      'unpack ok',
      'ng refs/heads/atomic-a atomic push failure',
      'ng refs/heads/from-raw failed to update ref',
    ])
    expect(await repo.readRef('refs/heads/atomic-a')).toBeNull()
  })

  it('refuses refs to objects it does not have and broken packs', async () => {
    const missing = 'f'.repeat(40)
    const report = await push(
      'fixture',
      [`${ZERO} ${missing} refs/heads/nowhere`],
      await writePack([]),
    )
    expect(report).toEqual(['unpack ok', 'ng refs/heads/nowhere bad pack'])
    const broken = await push(
      'fixture',
      [`${ZERO} ${missing} refs/heads/nowhere`],
      Buffer.from('PACKjunk'),
    )
    expect(broken[0]).toMatch(/^unpack /)
    expect(broken[0]).not.toBe('unpack ok')
    expect(broken[1]).toBe('ng refs/heads/nowhere unpacker error')
  })

  it('refuses a branch whose name clashes with an existing one, like git', async () => {
    const dir = await clone('fixture', 'clash')
    await expect(git(dir, ['push', 'origin', 'HEAD:refs/heads/topic'])).rejects.toThrow(
      /failed to update ref/,
    )
    expect(await (await open('fixture')).readRef('refs/heads/topic')).toBeNull()
  })

  it('deletes branches but not the current one', async () => {
    const dir = await clone('fixture', 'deleter')
    await git(dir, ['push', '-q', 'origin', ':refs/heads/from-raw'])
    expect(await (await open('fixture')).readRef('refs/heads/from-raw')).toBeNull()
    await expect(git(dir, ['push', 'origin', ':main'])).rejects.toThrow(
      /deletion of the current branch prohibited/,
    )
  })

  it('asks for credentials and refuses a wrong key', async () => {
    const res = await fetch(`${server.url}/git/fixture.git/info/refs?service=git-upload-pack`)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /)
    await expect(git(tmp, ['ls-remote', remote('fixture', 'wrong-key')])).rejects.toThrow(
      /Authentication failed|401/,
    )
    const missing = await fetch(`${server.url}/git/nope.git/info/refs?service=git-upload-pack`, {
      headers: { 'X-Internal-API-Key': KEY },
    })
    expect(missing.status).toBe(404)
  })

  it('accepts gzipped requests', async () => {
    const head = await (await open('fixture')).resolveRef('main')
    const body = Buffer.concat([
      pktLine(`want ${head} side-band-64k no-progress\n`),
      FLUSH,
      pktLine('done\n'),
    ])
    const res = await fetch(`${server.url}/git/fixture.git/git-upload-pack`, {
      method: 'POST',
      headers: {
        'X-Internal-API-Key': KEY,
        'Content-Type': 'application/x-git-upload-pack-request',
        'Content-Encoding': 'gzip',
      },
      body: gzipSync(body),
    })
    expect(res.status).toBe(200)
    const bytes = Buffer.from(await res.arrayBuffer())
    const { packets } = parsePktLines(bytes)
    expect(packetString(packets[0])).toBe('NAK\n')
    const data = Buffer.concat(
      packets.slice(1).flatMap((p) => (Buffer.isBuffer(p) && p[0] === 1 ? [p.subarray(1)] : [])),
    )
    expect(data.subarray(0, 4).toString()).toBe('PACK')
    const dir = join(tmp, 'gz')
    await git(tmp, ['init', '-q', '--bare', dir])
    await git(dir, ['index-pack', '--stdin', '--strict'], { input: data })
  })

  it('answers a client asking for protocol v2 in v0', async () => {
    const out = await gitOutput(tmp, ['-c', 'protocol.version=2', 'ls-remote', remote('fixture')])
    expect(out).toContain('refs/heads/main')
  })
})

describe('receivePack', () => {
  const request = async (line: string) =>
    (async function* () {
      yield Buffer.concat([pktLine(`${line}\0report-status\n`), FLUSH, await writePack([])])
    })()
  const answer = async (chunks: AsyncGenerator<Buffer>) => {
    const parts: Buffer[] = []
    for await (const c of chunks) parts.push(c)
    return parsePktLines(Buffer.concat(parts)).packets.flatMap((p) =>
      Buffer.isBuffer(p) ? [p.toString().trimEnd()] : [],
    )
  }

  it('calls onRefsUpdated inside the transaction that moves the refs', async () => {
    const repo = await open('fixture')
    const head = await repo.resolveRef('main')
    const seen: AppliedRefUpdate[][] = []
    const ok = await answer(
      receivePack({
        store,
        repoId: repo.repoId,
        request: await request(`${ZERO} ${head} refs/heads/hooked`),
        onRefsUpdated: async ({ tx, updates }) => {
          seen.push(updates)
          // the ref is already moved inside the transaction the hook runs in
          expect((await tx.readRef(repo.repoId, 'refs/heads/hooked'))?.oid).toBe(head)
        },
      }),
    )
    expect(ok).toEqual(['unpack ok', 'ok refs/heads/hooked'])
    expect(seen).toEqual([[{ name: 'refs/heads/hooked', old: null, new: head }]])

    const refused = await answer(
      receivePack({
        store,
        repoId: repo.repoId,
        request: await request(`${head} ${ZERO} refs/heads/hooked`),
        onRefsUpdated: async () => {
          throw new Error('feed unavailable')
        },
      }),
    )
    expect(refused).toEqual(['unpack ok', 'ng refs/heads/hooked failed to update ref'])
    expect(await repo.readRef('refs/heads/hooked')).toBe(head)
  })
})

function packetString(p: unknown): string {
  return Buffer.isBuffer(p) ? p.toString('utf8') : String(p)
}
