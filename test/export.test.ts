import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  Repository,
  importPack,
  readBundle,
  type PostgresStore,
  type RefUpdate,
} from '@gitpg/git-pg-fs'
import type { RunningServer } from '@gitpg/server'
import type { TestDatabase } from './support/database.ts'
import { buildFixtureRepo, type FixtureRepo } from './support/fixture-repo.ts'
import { git, gitOutput, gitRefs, lines, packRepo, type GitRef } from './support/git-cli.ts'
import { fsckStrict } from './support/export-objects.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'
import { runCli, type CliResult } from '../packages/server/test/support/run-cli.ts'

const KEY = 'export-test-key-0123'
let stack: TestStack
let tmp: string
let fixture: FixtureRepo
let fixtureRefs: GitRef[]
let database: TestDatabase
let server: RunningServer
let store: PostgresStore

const gitEnv = {
  GIT_AUTHOR_NAME: 'Grace Hopper',
  GIT_AUTHOR_EMAIL: 'grace@example.org',
  GIT_COMMITTER_NAME: 'Grace Hopper',
  GIT_COMMITTER_EMAIL: 'grace@example.org',
}

/** `gitpg <args>`, run in this process through the CLI's `main`. */
const gitpg = (...args: string[]): Promise<CliResult> =>
  runCli({ args, env: { DATABASE_URL: database.url } })

/** What export prints on stderr off a terminal: one line per step. */
const EXPORT_STEPS = 'counting objects...\nwriting objects...\nchecking out files...\n'

async function createProject(name: string, dir: string) {
  const { repo } = await store.createRepo({ name })
  const refs = await gitRefs(dir)
  const updates: RefUpdate[] = refs.map((r) => ({ name: r.name, oid: r.oid, expected: null }))
  await importPack({ store, repoId: repo.repoId, pack: await packRepo(dir), refUpdates: updates })
}

const allObjects = async (dir: string) =>
  lines(await gitOutput(dir, ['rev-list', '--objects', '--all']))
    .map((l) => l.slice(0, 40))
    .sort()

async function commitFile(dir: string, path: string, content: string, message: string) {
  await writeFile(join(dir, path), content)
  await git(dir, ['add', '--', path])
  await git(dir, ['commit', '-q', '-m', message], { env: gitEnv })
  return (await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()
}

interface FeedEvent {
  kind: string
  ref?: string
  from?: string | null
  to?: string | null
}

async function feedPage(project: string, since?: string) {
  const query = `limit=5000${since ? `&since=${since}` : ''}`
  const res = await fetch(`${server.url}/projects/${project}/changes?${query}`, {
    headers: { 'X-Internal-API-Key': KEY },
  })
  expect(res.status).toBe(200)
  return (await res.json()) as { changes: FeedEvent[]; cursor: string }
}

/** The change feed's events after `since`. */
async function feedSince(project: string, since: string): Promise<FeedEvent[]> {
  const events: FeedEvent[] = []
  let cursor = since
  for (;;) {
    const page = await feedPage(project, cursor)
    if (page.changes.length === 0) return events
    events.push(...page.changes)
    cursor = page.cursor
  }
}

/** The cursor at the end of the change feed now. */
async function feedCursor(project: string): Promise<string> {
  let page = await feedPage(project)
  while (page.changes.length > 0) page = await feedPage(project, page.cursor)
  return page.cursor
}

const head = async (project: string, ref = 'main') =>
  (await Repository.open({ store, name: project })).resolveRef(ref)

beforeAll(async () => {
  stack = await startTestStack({ name: 'export', apiKey: KEY })
  ;({ tmp, database, server, store } = stack)
  fixture = await buildFixtureRepo({ dir: join(tmp, 'fixture'), commits: 200, seed: 11 })
  fixtureRefs = await gitRefs(fixture.dir)
  await createProject('fixture', fixture.dir)
})

afterAll(() => stack?.close())

describe('gitpg export', () => {
  it('writes a checked-out repository git fsck --strict accepts, with every ref', async () => {
    const dir = join(tmp, 'exported')
    const res = await gitpg('export', 'fixture', dir)
    expect(res.stderr).toBe(EXPORT_STEPS)
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^exported fixture to .*: \d+ refs, \d+ objects, HEAD main/)
    await fsckStrict(dir)
    expect(await gitRefs(dir)).toEqual(fixtureRefs)
    expect((await gitOutput(dir, ['symbolic-ref', 'HEAD'])).trim()).toBe('refs/heads/main')
    expect(await gitOutput(dir, ['status', '--porcelain'])).toBe('')
    expect(await readFile(join(dir, 'README.md'))).toEqual(
      await git(fixture.dir, ['show', 'main:README.md']),
    )
    expect(await allObjects(dir)).toEqual(await allObjects(fixture.dir))
  })

  it('writes a bare repository with --bare', async () => {
    const dir = join(tmp, 'exported.git')
    const res = await gitpg('export', 'fixture', dir, '--bare')
    expect(res.code).toBe(0)
    expect((await gitOutput(dir, ['rev-parse', '--is-bare-repository'])).trim()).toBe('true')
    await fsckStrict(dir)
    expect(await gitRefs(dir)).toEqual(fixtureRefs)
  })

  it('fails with one line for an unknown project or a non-empty directory', async () => {
    const unknown = await gitpg('export', 'nope', join(tmp, 'nope'))
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/^gitpg export: project nope does not exist\n$/)
    const taken = await gitpg('export', 'fixture', fixture.dir)
    expect(taken.code).toBe(1)
    expect(taken.stderr).toMatch(/already exists and is not an empty directory\n$/)
  })
})

describe('GET /projects/:projectId/export.bundle', () => {
  it('is a v2 bundle of every ref that git clone accepts', async () => {
    const res = await fetch(`${server.url}/projects/fixture/export.bundle`, {
      headers: { 'X-Internal-API-Key': KEY },
    })
    expect(res.status).toBe(200)
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.subarray(0, 16).toString()).toBe('# v2 git bundle\n')
    const bundle = readBundle(bytes)
    expect(bundle.refs[0]).toEqual({ name: 'HEAD', oid: await head('fixture') })
    expect(bundle.refs.slice(1)).toEqual(fixtureRefs)
    const file = join(tmp, 'fixture.bundle')
    await writeFile(file, bytes)
    await git(fixture.dir, ['bundle', 'verify', '-q', file])
    const dir = join(tmp, 'from-bundle')
    await git(tmp, ['clone', '-q', file, dir])
    await fsckStrict(dir)
    expect((await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()).toBe(await head('fixture'))
    expect(await allObjects(dir)).toEqual(await allObjects(fixture.dir))
  })

  it('answers 404 for a project without commits and 401 without the key', async () => {
    await store.createRepo({ name: 'empty' })
    const empty = await fetch(`${server.url}/projects/empty/export.bundle`, {
      headers: { 'X-Internal-API-Key': KEY },
    })
    expect(empty.status).toBe(404)
    expect((await fetch(`${server.url}/projects/fixture/export.bundle`)).status).toBe(401)
  })
})

describe('round trips', () => {
  it('export, commit offline with git, push back: the same object ids', async () => {
    const dir = join(tmp, 'offline-push')
    expect((await gitpg('export', 'fixture', dir)).code).toBe(0)
    await commitFile(dir, 'offline-1.txt', 'written offline\n', 'offline one')
    const tip = await commitFile(dir, 'offline-2.txt', 'still offline\n', 'offline two')
    const url = `${server.url.replace('http://', `http://git:${KEY}@`)}/git/fixture.git`
    await git(dir, ['push', '-q', url, 'main'])
    expect(await head('fixture')).toBe(tip)
    const repo = await Repository.open({ store, name: 'fixture' })
    const file = await repo.readFile({ path: 'offline-2.txt' })
    expect(file.oid).toBe((await gitOutput(dir, ['rev-parse', 'HEAD:offline-2.txt'])).trim())
    const page = await repo.log({ limit: 3 })
    expect(page.commits.map((c) => c.oid)).toEqual(
      lines(await gitOutput(dir, ['log', '-3', '--format=%H'])),
    )
    // exported again, the project is the offline repository object for object
    const again = join(tmp, 'offline-push-again')
    expect((await gitpg('export', 'fixture', again, '--bare')).code).toBe(0)
    await fsckStrict(again)
    expect(await allObjects(again)).toEqual(await allObjects(dir))
    expect(await gitRefs(again)).toEqual(await gitRefs(dir))
  })

  it('export, commit offline, import the directory: the same object ids, in the feed', async () => {
    const dir = join(tmp, 'offline-dir')
    expect((await gitpg('export', 'fixture', dir)).code).toBe(0)
    const base = (await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()
    await commitFile(dir, 'dir-1.txt', 'offline in a directory\n', 'directory one')
    const tip = await commitFile(dir, 'dir-2.txt', 'and again\n', 'directory two')
    await git(dir, ['branch', 'offline-topic', 'HEAD~1'])
    const since = await feedCursor('fixture')
    const res = await gitpg('import', dir, '--project', 'fixture')
    expect(res.stderr).toBe('reading objects...\nstoring objects...\n')
    expect(res.code).toBe(0)
    expect(await head('fixture')).toBe(tip)
    const again = join(tmp, 'offline-dir-again')
    expect((await gitpg('export', 'fixture', again, '--bare')).code).toBe(0)
    await fsckStrict(again)
    expect(await allObjects(again)).toEqual(await allObjects(dir))
    expect(await gitRefs(again)).toEqual(await gitRefs(dir))
    const events = await feedSince('fixture', since)
    expect(
      events.filter((e) => e.kind === 'ref.updated').map((e) => [e.ref, e.from, e.to]),
    ).toEqual(
      expect.arrayContaining([
        ['refs/heads/main', base, tip],
        [
          'refs/heads/offline-topic',
          null,
          (await gitOutput(dir, ['rev-parse', 'offline-topic'])).trim(),
        ],
      ]),
    )
  })

  it('export, commit offline, import an incremental bundle: the same object ids', async () => {
    const dir = join(tmp, 'offline-bundle')
    expect((await gitpg('export', 'fixture', dir)).code).toBe(0)
    const base = (await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()
    const tip = await commitFile(dir, 'bundled.txt', 'carried in a bundle\n', 'bundled')
    const file = join(tmp, 'back.bundle')
    await git(dir, ['bundle', 'create', '-q', file, 'main', `^${base}`])
    const res = await gitpg('import', file, '--project', 'fixture')
    expect(res.stderr).toBe('reading objects...\nstoring objects...\n')
    expect(res.code).toBe(0)
    expect(res.stdout).toContain(`refs/heads/main: ${base.slice(0, 7)} -> ${tip.slice(0, 7)}`)
    expect(await head('fixture')).toBe(tip)
  })

  it('imports a local repository into a new project with identical objects', async () => {
    const res = await gitpg('import', fixture.dir, '--project', 'copy')
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(/^created project copy: \d+ objects/)
    const repo = await Repository.open({ store, name: 'copy' })
    const refs = (await store.listRefs(repo.repoId, 'refs/')).map((r) => ({
      name: r.name,
      oid: r.oid,
    }))
    expect(refs).toEqual(fixtureRefs)
    const dir = join(tmp, 'copy-out')
    expect((await gitpg('export', 'copy', dir, '--bare')).code).toBe(0)
    await fsckStrict(dir)
    expect(await allObjects(dir)).toEqual(await allObjects(fixture.dir))
  })

  it('refuses a non-fast-forward import unless --force, changing nothing', async () => {
    const dir = join(tmp, 'rewrite')
    expect((await gitpg('export', 'fixture', dir)).code).toBe(0)
    const before = await head('fixture')
    await git(dir, ['reset', '-q', '--hard', 'HEAD~2'])
    const rewritten = await commitFile(dir, 'rewritten.txt', 'history rewritten\n', 'rewrite')
    const refused = await gitpg('import', dir, '--project', 'fixture')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/refs\/heads\/main: not a fast-forward/)
    expect(await head('fixture')).toBe(before)
    const forced = await gitpg('import', dir, '--project', 'fixture', '--force')
    expect(forced.code).toBe(0)
    expect(await head('fixture')).toBe(rewritten)
  })
})
