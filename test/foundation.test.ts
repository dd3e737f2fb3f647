import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  BadPackError,
  DEFAULT_BACKEND_FLUSH_AFTER,
  Database,
  EMPTY_TREE_OID,
  GIT_MIGRATIONS_DIR,
  PostgresStore,
  RefConflictError,
  RefNotFoundError,
  Repository,
  hashObject,
  importPack,
  makeObject,
  migrate,
  type AuthorInput,
  type CommitInfo,
  type FileChange,
  type RefUpdate,
  type Signature,
} from '@gitpg/git-pg-fs'
import { createTestDatabase, type TestDatabase } from './support/database.ts'
import { buildFixtureRepo, type FixtureRepo } from './support/fixture-repo.ts'
import {
  catFileBatch,
  git,
  gitOutput,
  gitRefs,
  lines,
  lsTree,
  packRepo,
  rawDiff,
  type GitRef,
} from './support/git-cli.ts'
import { commitWithGit } from './support/git-commit.ts'
import { exportObjects, fsckStrict } from './support/export-objects.ts'

let tmp: string
let fixture: FixtureRepo
let pack: Buffer
let refs: GitRef[]
let testDb: TestDatabase
let db: Database
let store: PostgresStore
let repo: Repository

/** Every ref of the fixture, created by the import, and HEAD pointing at main. */
const refUpdatesOf = (gitRefList: readonly GitRef[]): RefUpdate[] => [
  ...gitRefList.map((r) => ({ name: r.name, oid: r.oid, expected: null })),
  { name: 'HEAD', oid: null, target: 'refs/heads/main' },
]

async function createRepo(name: string): Promise<Repository> {
  await store.createRepo({ name })
  return Repository.open({ store, name })
}

async function importFixture(name: string, packBytes = pack): Promise<Repository> {
  const r = await createRepo(name)
  await importPack({ store, repoId: r.repoId, pack: packBytes, refUpdates: refUpdatesOf(refs) })
  return r
}

async function allObjectIds(dir: string): Promise<string[]> {
  return lines(await gitOutput(dir, ['rev-list', '--objects', '--all'])).map((l) => l.slice(0, 40))
}

const gitLog = async (args: readonly string[]) =>
  lines(await gitOutput(fixture.dir, ['--literal-pathspecs', 'log', '--format=%H', ...args]))

async function fullLog(r: Repository, options: { ref?: string; path?: string; limit?: number }) {
  const oids: string[] = []
  let page = await r.log(options)
  for (;;) {
    oids.push(...page.commits.map((c) => c.oid))
    if (!page.next) return oids
    page = await r.log({ ...options, cursor: page.next })
  }
}

const tz = (s: Signature) => {
  const abs = Math.abs(s.timezoneOffset)
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`
  return `${s.timezoneOffset < 0 ? '-' : '+'}${hhmm}`
}
const describeCommit = (c: CommitInfo) =>
  [
    c.oid,
    c.tree,
    c.parents.join(' '),
    c.author.name,
    c.author.email,
    `${c.author.timestamp} ${tz(c.author)}`,
    c.committer.name,
    c.committer.email,
    `${c.committer.timestamp} ${tz(c.committer)}`,
  ].join('\t')

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gitpg-foundation-'))
  fixture = await buildFixtureRepo({ dir: join(tmp, 'fixture'), seed: 42 })
  pack = await packRepo(fixture.dir)
  refs = await gitRefs(fixture.dir)
  testDb = await createTestDatabase()
  db = new Database({ connectionString: testDb.url, max: 30 })
  await migrate({ db, scope: 'git-pg-fs', dir: GIT_MIGRATIONS_DIR })
  store = new PostgresStore({ db })
  repo = await importFixture('fixture')
})

afterAll(async () => {
  await db?.close()
  await testDb?.drop()
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

describe('Database sessions', () => {
  const flushAfter = async (d: Database) => {
    // each transaction is held until all four are open, so each answer comes from a connection
    // of its own
    let open = 0
    let allOpen!: () => void
    const barrier = new Promise<void>((resolve) => (allOpen = resolve))
    return Promise.all(
      Array.from({ length: 4 }, () =>
        d.transaction(async (tx) => {
          const { rows } = await tx.query<{ backend_flush_after: string }>(
            'SHOW backend_flush_after',
          )
          if (++open === 4) allOpen()
          await barrier
          return rows[0].backend_flush_after
        }),
      ),
    )
  }

  it('has every pooled connection write back as it goes, as configured', async () => {
    expect(await flushAfter(db)).toEqual(Array(4).fill(DEFAULT_BACKEND_FLUSH_AFTER))
    const custom = new Database({ connectionString: testDb.url, backendFlushAfter: '1MB' })
    try {
      expect(await flushAfter(custom)).toEqual(Array(4).fill('1MB'))
    } finally {
      await custom.close()
    }
  })

  it("keeps the server's setting when told to, or when the server refuses the value", async () => {
    const plain = new pg.Client({ connectionString: testDb.url })
    await plain.connect()
    const serverSetting = (await plain.query('SHOW backend_flush_after')).rows[0]
      .backend_flush_after as string
    await plain.end()
    for (const backendFlushAfter of [null, '3MB']) {
      const other = new Database({ connectionString: testDb.url, backendFlushAfter })
      try {
        expect(await flushAfter(other)).toEqual(Array(4).fill(serverSetting))
      } finally {
        await other.close()
      }
    }
  })
})

describe('buildFixtureRepo', () => {
  it('builds a repository with every kind of entry and history the proofs need', async () => {
    expect(fixture.commits).toBeGreaterThanOrEqual(500)
    const count = Number(await gitOutput(fixture.dir, ['rev-list', '--count', '--all']))
    expect(count).toBeGreaterThanOrEqual(500)
    const merges = lines(await gitOutput(fixture.dir, ['rev-list', '--merges', '--all']))
    expect(merges.length).toBeGreaterThan(10)
    const modes = new Set((await lsTree(fixture.dir, 'main')).map((e) => e.mode))
    expect([...modes].sort()).toEqual(['100644', '100755', '120000', '160000'])
    const head = await lsTree(fixture.dir, 'main')
    expect(
      head.some((e) => e.path === 'empty' && e.oid === hashObject('blob', Buffer.alloc(0))),
    ).toBe(true)
    expect(head.some((e) => /[^\x20-\x7e]/.test(e.path))).toBe(true)
    expect(head.some((e) => e.path.includes(' '))).toBe(true)
    expect(fixture.renamed.length).toBeGreaterThan(10)
    expect(fixture.deleted.length).toBeGreaterThan(10)
    expect(refs.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'refs/heads/main',
        'refs/heads/feature',
        'refs/tags/v1.0',
        'refs/tags/light',
      ]),
    )
    await fsckStrict(fixture.dir)
  })

  it('is reproducible from its seed', async () => {
    const again = await buildFixtureRepo({ dir: join(tmp, 'again'), seed: 42 })
    expect(await gitRefs(again.dir)).toEqual(refs)
    const other = await buildFixtureRepo({ dir: join(tmp, 'other-seed'), commits: 30, seed: 7 })
    expect((await gitRefs(other.dir)).find((r) => r.name === 'refs/heads/main')?.oid).not.toBe(
      refs.find((r) => r.name === 'refs/heads/main')?.oid,
    )
  })
})

describe('importPack', () => {
  it('stores exactly the objects git lists for every ref, byte for byte', async () => {
    const expected = new Set(await allObjectIds(fixture.dir))
    expect(await store.countObjects(repo.repoId)).toBe(expected.size)
    const stored = await store.readObjects(repo.repoId, [...expected])
    expect(stored.size).toBe(expected.size)
    const fromGit = await catFileBatch(fixture.dir, [...expected])
    const mismatched = [...expected].filter((oid) => {
      const a = stored.get(oid)
      const b = fromGit.get(oid)
      return !a || !b || a.type !== b.type || !a.content.equals(b.content)
    })
    expect(mismatched).toEqual([])
  })

  it('sets every ref and HEAD as git has them', async () => {
    const stored = await store.listRefs(repo.repoId)
    expect(
      stored.filter((r) => r.name !== 'HEAD').map((r) => ({ name: r.name, oid: r.oid })),
    ).toEqual(refs.map((r) => ({ name: r.name, oid: r.oid })))
    expect(stored.find((r) => r.name === 'HEAD')).toEqual({
      name: 'HEAD',
      oid: null,
      target: 'refs/heads/main',
    })
    for (const ref of [
      'HEAD',
      'main',
      'feature',
      'topic/x',
      'v0.1',
      'v1.0',
      'release/2.0',
      'light',
      'old/light',
    ]) {
      const want = (await gitOutput(fixture.dir, ['rev-parse', `${ref}^{commit}`])).trim()
      expect(await repo.resolveRef(ref), ref).toBe(want)
    }
    const head = (await gitOutput(fixture.dir, ['rev-parse', 'main'])).trim()
    expect(await repo.resolveRef(head.slice(0, 10))).toBe(head)
  })

  it('imports a ref-delta pack to the same objects as an offset-delta pack', async () => {
    const refDelta = await packRepo(fixture.dir, { ofsDelta: false })
    expect(refDelta.equals(pack)).toBe(false)
    const other = await importFixture('fixture-ref-delta', refDelta)
    expect(await store.countObjects(other.repoId)).toBe(await store.countObjects(repo.repoId))
    const oids = await allObjectIds(fixture.dir)
    expect((await store.hasObjects(other.repoId, oids)).size).toBe(oids.length)
  })

  it('bulk-loads empty, small and batch-sized contents byte for byte', async () => {
    const loaded = await createRepo('bulk-load')
    const sizes = [0, 1, 100, 131_071, 131_072, 200_000, 262_144, 700_000, ...Array(300).fill(900)]
    const objects = sizes.map((size, i) =>
      makeObject('blob', Buffer.alloc(size, `object ${i} of ${size} bytes;`)),
    )
    async function* stream() {
      yield* objects
    }
    expect(await store.loadObjects(loaded.repoId, stream())).toBe(
      new Set(objects.map((o) => o.oid)).size,
    )
    const read = await store.readObjects(
      loaded.repoId,
      objects.map((o) => o.oid),
    )
    for (const o of objects) expect(read.get(o.oid)?.content.equals(o.content)).toBe(true)
  })
})

describe('Repository reads', () => {
  it('log lists the whole history in git log order, with every commit field', async () => {
    for (const ref of ['main', 'feature', 'topic/x', 'v1.0']) {
      const want = lines(
        await gitOutput(fixture.dir, [
          'log',
          '--date=raw',
          '--format=%H%x09%T%x09%P%x09%an%x09%ae%x09%ad%x09%cn%x09%ce%x09%cd',
          ref,
        ]),
      )
      const page = await repo.log({ ref, limit: 100_000 })
      expect(page.next).toBeNull()
      expect(page.commits.map(describeCommit), ref).toEqual(want)
    }
  })

  it('log pages through the whole history with a cursor', async () => {
    const want = await gitLog(['main'])
    expect(await fullLog(repo, { ref: 'main', limit: 37 })).toEqual(want)
    expect(await fullLog(repo, { limit: 1000 })).toEqual(want)
    const first = await repo.log({ limit: 5 })
    expect(first.commits.map((c) => c.oid)).toEqual(want.slice(0, 5))
    expect(first.next).not.toBeNull()
  })

  it('log -- path equals git log -- path for files, directories, renamed, deleted and merged paths', async () => {
    const dirs = [
      'src',
      'src/lib',
      'docs/with space',
      'données',
      'données/été',
      'src/日本語',
      'a/b',
      'a/b/c/d/e',
    ]
    dirs.push('gen', 'gen/dir3', 'vendor', 'assets', 'bin', 'to-become-dir', 'does/not/exist')
    const files = [
      'README.md',
      'empty',
      'assets/logo.bin',
      'bin/run.sh',
      'link-to-readme',
      'vendor/sub module',
    ]
    files.push(
      'docs/with space/naïve café.md',
      'src/日本語/ファイル.txt',
      'a/b/c/d/e/deep.txt',
      'conflict.txt',
    )
    const paths = [
      ...new Set([
        ...dirs,
        ...files,
        ...fixture.mergeTouched,
        ...fixture.typeChanged,
        ...fixture.renamed.slice(0, 25),
        ...fixture.deleted.slice(0, 25),
      ]),
    ]
    const merges = new Set(lines(await gitOutput(fixture.dir, ['rev-list', '--merges', '--all'])))
    const mergesShown = new Set<string>()
    const mismatches: { path: string; ref: string; git: string[]; repo: string[] }[] = []
    for (const path of paths) {
      for (const ref of path === 'conflict.txt' || path === 'src'
        ? ['main', 'feature']
        : ['main']) {
        const want = await gitLog([ref, '--', path])
        for (const oid of want) if (merges.has(oid)) mergesShown.add(oid)
        const got = (await repo.log({ ref, path, limit: 100_000 })).commits.map((c) => c.oid)
        if (JSON.stringify(want) !== JSON.stringify(got))
          mismatches.push({ path, ref, git: want, repo: got })
      }
    }
    expect(mismatches).toEqual([])
    // merges that change a path must show up in its history, or the comparison proves little
    expect(mergesShown.size).toBeGreaterThan(5)
    expect(await fullLog(repo, { ref: 'main', path: 'src', limit: 7 })).toEqual(
      await gitLog(['main', '--', 'src']),
    )
  }, 180_000)

  it('diff equals git diff --name-status --no-renames, with modes and ids', async () => {
    const history = await gitLog(['--reverse', 'main'])
    const merges = lines(await gitOutput(fixture.dir, ['rev-list', '--merges', 'main'])).slice(0, 6)
    const pairs: [string | null, string][] = [
      [history[0], history[history.length - 1]],
      [history[history.length - 1], history[0]],
      [null, history[0]],
      [null, 'main'],
      ['main', 'feature'],
      ['feature', 'main'],
      ['v0.1', 'v1.0'],
      ['main', 'main'],
    ]
    for (let i = 0; i + 100 < history.length; i += 50) pairs.push([history[i], history[i + 100]])
    for (let i = 1; i < history.length; i += 9) pairs.push([history[i - 1], history[i]])
    for (const m of merges) pairs.push([`${m}^1`, m], [`${m}^2`, m])
    const resolve = async (rev: string) => (await gitOutput(fixture.dir, ['rev-parse', rev])).trim()
    for (const [from, to] of pairs) {
      const a = from === null ? null : await resolve(from)
      const b = await resolve(to)
      const want = await rawDiff(fixture.dir, a ?? EMPTY_TREE_OID, b)
      const got = await repo.diff({ from: a, to: b })
      const shape = got.map((e) => ({
        status: e.status,
        path: e.path,
        oldMode: e.oldMode,
        newMode: e.newMode,
        oldOid: e.oldOid,
        newOid: e.newOid,
      }))
      expect(shape, `${from} → ${to}`).toEqual(want)
    }
    expect(pairs.length).toBeGreaterThan(60)
  }, 120_000)

  it('listFiles and readFiles equal git ls-tree -r and git cat-file, bytes and modes', async () => {
    const history = await gitLog(['--reverse', 'main'])
    for (const ref of ['main', 'feature', 'v0.1', history[250]]) {
      const want = await lsTree(fixture.dir, ref)
      const listed = await repo.listFiles({ ref })
      expect(
        listed.map((f) => ({ path: f.path, oid: f.oid, mode: f.mode })),
        ref,
      ).toEqual(want.map((e) => ({ path: e.path, oid: e.oid, mode: e.mode })))
      const blobs = want.filter((e) => e.type === 'blob')
      expect(listed.filter((f) => f.mode !== '160000').map((f) => f.size)).toEqual(
        blobs.map((e) => e.size),
      )
      const { files, missing } = await repo.readFiles({ ref, paths: blobs.map((e) => e.path) })
      expect(missing).toEqual([])
      const contents = await catFileBatch(
        fixture.dir,
        blobs.map((e) => e.oid),
      )
      expect(files.map((f) => f.path)).toEqual(blobs.map((e) => e.path))
      files.forEach((f, i) => {
        expect(f.mode, f.path).toBe(blobs[i].mode)
        expect(f.oid, f.path).toBe(blobs[i].oid)
        expect(f.content.equals(contents.get(f.oid)!.content), f.path).toBe(true)
      })
    }
    const special = await repo.readFiles({
      ref: 'main',
      paths: ['empty', 'link-to-readme', 'bin/run.sh', 'src', 'nope'],
    })
    expect(special.missing).toEqual(['src', 'nope'])
    expect(special.files.map((f) => [f.path, f.mode, f.size])).toEqual([
      ['empty', '100644', 0],
      ['link-to-readme', '120000', special.files[1].content.length],
      ['bin/run.sh', '100755', special.files[2].content.length],
    ])
    for (const prefix of ['docs/with space', 'données', 'src/日本語', 'a/b/c', 'vendor', 'bin']) {
      const want = await lsTree(fixture.dir, 'main', [prefix])
      const got = await repo.listFiles({ ref: 'main', prefix })
      expect(
        got.map((f) => f.path),
        prefix,
      ).toEqual(want.map((e) => e.path))
      expect(want.length).toBeGreaterThan(0)
    }
  }, 120_000)
})

describe('Repository.commit', () => {
  const when = (n: number, offset = 60): AuthorInput => ({
    name: 'Zoë Committer',
    email: 'zoe@example.com',
    timestamp: 1_700_000_000 + n * 100,
    timezoneOffset: offset,
  })

  it('writes commits git accepts with git fsck --strict and whose ids git computes the same', async () => {
    const authoring = await importFixture('authoring')
    const expectDir = join(tmp, 'expect')
    const exportDir = join(tmp, 'export.git')
    await git(tmp, ['clone', '-q', '--no-checkout', fixture.dir, expectDir])
    await git(tmp, ['clone', '-q', '--bare', fixture.dir, exportDir])
    const underAB = (await authoring.listFiles({ prefix: 'a/b' })).map((f) => f.path)
    expect(underAB.length).toBeGreaterThan(0)
    const steps: { message: string; changes: FileChange[]; committer?: AuthorInput }[] = [
      {
        message: 'add files in new nested directories\n',
        changes: [
          {
            path: 'new/deeply/nested/dir/file.txt',
            action: 'write',
            content: Buffer.from('hello\n'),
          },
          { path: 'new/другой каталог/ä b.md', action: 'write', content: Buffer.from('ünïcode\n') },
          {
            path: 'new/tool.sh',
            action: 'write',
            content: Buffer.from('#!/bin/sh\n'),
            mode: '100755',
          },
          {
            path: 'new/link',
            action: 'write',
            content: Buffer.from('../README.md'),
            mode: '120000',
          },
          { path: 'new/empty', action: 'write', content: Buffer.alloc(0) },
          { path: 'new/blob.bin', action: 'write', content: Buffer.from([0, 255, 0, 1, 2, 3, 0]) },
          { path: 'README.md', action: 'write', content: Buffer.from('# rewritten\n') },
        ],
      },
      {
        message: 'delete a file and a whole directory\n',
        changes: [
          { path: 'bin/run.sh', action: 'delete' },
          ...underAB.map((path) => ({ path, action: 'delete' as const })),
        ],
      },
      {
        message: 'change modes\n\nwith a body\n',
        changes: [
          { path: 'README.md', action: 'mode', mode: '100755' },
          { path: 'new/tool.sh', action: 'mode', mode: '100644' },
        ],
        committer: when(99, -300),
      },
      {
        message: 'mixed\n',
        changes: [
          { path: 'new/deeply/nested/dir/file.txt', action: 'delete' },
          { path: 'new/deeply/other.txt', action: 'write', content: Buffer.from('moved\n') },
          {
            path: 'docs/with space/naïve café.md',
            action: 'write',
            content: Buffer.from('crème brûlée\n'),
          },
          { path: 'empty', action: 'mode', mode: '100755' },
        ],
      },
    ]
    let parent = await authoring.resolveRef('main')
    for (const [n, step] of steps.entries()) {
      const author = when(n)
      const result = await authoring.commit({
        branch: 'main',
        changes: step.changes,
        message: step.message,
        author,
        committer: step.committer,
        expectedHead: parent,
      })
      const byGit = await commitWithGit({
        dir: expectDir,
        parent,
        changes: step.changes,
        message: step.message,
        author,
        committer: step.committer ?? author,
      })
      expect(result.parent).toBe(parent)
      expect(result.tree, step.message).toBe(byGit.tree)
      expect(result.oid, step.message).toBe(byGit.oid)
      expect(
        await exportObjects({ store, repoId: authoring.repoId, dir: exportDir, oid: result.oid }),
      ).toBeGreaterThan(1)
      await git(exportDir, ['update-ref', 'refs/heads/main', result.oid, parent])
      await fsckStrict(exportDir)
      const diff = await authoring.diff({ from: parent, to: result.oid })
      expect(diff.map((e) => `${e.status}\t${e.path}`)).toEqual(
        (await rawDiff(exportDir, parent, result.oid)).map((e) => `${e.status}\t${e.path}`),
      )
      parent = result.oid
    }
    expect((await authoring.listFiles({ prefix: 'a' })).length).toBe(0)
    expect(await gitOutput(exportDir, ['ls-tree', 'main', 'a'])).toBe('')
  })

  it('makes a root commit in an empty repository as git would', async () => {
    const empty = await createRepo('empty-root')
    const expectDir = join(tmp, 'expect-root')
    await gitOutput(tmp, ['-c', 'init.defaultBranch=main', 'init', '-q', expectDir])
    const changes: FileChange[] = [
      { path: 'README.md', action: 'write', content: Buffer.from('root\n') },
      { path: 'sub dir/é.txt', action: 'write', content: Buffer.from('x\n'), mode: '100755' },
    ]
    const author = when(1, 0)
    const result = await empty.commit({
      branch: 'main',
      changes,
      message: 'root\n',
      author,
      expectedHead: null,
    })
    const byGit = await commitWithGit({
      dir: expectDir,
      parent: null,
      changes,
      message: 'root\n',
      author,
    })
    expect(result).toEqual({ oid: byGit.oid, branch: 'main', parent: null, tree: byGit.tree })
    const exportDir = join(tmp, 'export-root.git')
    await gitOutput(tmp, ['-c', 'init.defaultBranch=main', 'init', '-q', '--bare', exportDir])
    expect(
      await exportObjects({ store, repoId: empty.repoId, dir: exportDir, oid: result.oid }),
    ).toBe(5)
    await git(exportDir, ['update-ref', 'refs/heads/main', result.oid])
    await fsckStrict(exportDir)
  })
})

describe('Repository.commit concurrency', () => {
  const author: AuthorInput = {
    name: 'Racer',
    email: 'racer@example.com',
    timestamp: 1_700_000_000,
  }

  it('lets exactly one of 20 commits with the same expected head land', async () => {
    const race = await createRepo('race-expected')
    const base = await race.commit({
      branch: 'main',
      changes: [{ path: 'start.txt', action: 'write', content: Buffer.from('start\n') }],
      message: 'start\n',
      author,
      expectedHead: null,
    })
    const content = (i: number) => Buffer.from(`racer ${i}\n`)
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        race.commit({
          branch: 'main',
          changes: [{ path: `race/${i}.txt`, action: 'write', content: content(i) }],
          message: `racer ${i}\n`,
          author,
          expectedHead: base.oid,
        }),
      ),
    )
    const landed = results.filter((r) => r.status === 'fulfilled')
    const failed = results.filter((r) => r.status === 'rejected')
    expect(landed).toHaveLength(1)
    for (const f of failed) {
      expect(f.reason).toBeInstanceOf(RefConflictError)
      expect(f.reason.code).toBe('REF_CONFLICT')
    }
    const winner = landed[0].value
    expect(await race.resolveRef('main')).toBe(winner.oid)
    expect((await race.log()).commits.map((c) => c.oid)).toEqual([winner.oid, base.oid])
    // the losers wrote nothing visible: none of their blobs is stored
    const blobs = Array.from({ length: 20 }, (_, i) => hashObject('blob', content(i)))
    expect((await store.hasObjects(race.repoId, blobs)).size).toBe(1)
  })

  it('lands all of 20 writers without an expected head, each on the one before, none refused', async () => {
    const race = await createRepo('race-retry')
    const base = await race.commit({
      branch: 'main',
      changes: [{ path: 'start.txt', action: 'write', content: Buffer.from('start\n') }],
      message: 'start\n',
      author,
      expectedHead: null,
    })
    let done = false
    const seen = new Set<string>()
    const broken: string[] = []
    const watcher = (async () => {
      while (!done) {
        const ref = await store.readRef(race.repoId, 'refs/heads/main')
        const oid = ref?.oid
        if (!oid) broken.push('main vanished')
        else if (!seen.has(oid)) {
          seen.add(oid)
          // the whole tree must be readable the moment the ref is visible
          await race
            .listFiles({ ref: oid })
            .catch((err: Error) => broken.push(`${oid}: ${err.message}`))
        }
      }
    })()
    let conflicts = 0
    const landed = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        for (let attempt = 0; attempt < 100; attempt += 1) {
          try {
            return await race.commit({
              branch: 'main',
              changes: [
                { path: `race/${i}.txt`, action: 'write', content: Buffer.from(`writer ${i}\n`) },
              ],
              message: `writer ${i}\n`,
              author,
            })
          } catch (err) {
            if (!(err instanceof RefConflictError)) throw err
            conflicts += 1
          }
        }
        throw new Error(`writer ${i} never landed`)
      }),
    )
    done = true
    await watcher
    expect(broken).toEqual([])
    const log = await race.log({ limit: 100 })
    const above = log.commits.map((c) => c.oid).slice(0, -1)
    expect(log.commits[log.commits.length - 1].oid).toBe(base.oid)
    expect(new Set(above)).toEqual(new Set(landed.map((l) => l.oid)))
    expect(above).toHaveLength(20)
    // a linear chain: each landed commit's parent is the one that landed before it
    log.commits.slice(0, -1).forEach((c, i) => expect(c.parents).toEqual([log.commits[i + 1].oid]))
    const files = (await race.listFiles({ prefix: 'race' })).map((f) => f.path).sort()
    expect(files).toEqual(Array.from({ length: 20 }, (_, i) => `race/${i}.txt`).sort())
    // without an expected head, commits of one branch take turns: nobody is refused
    expect(conflicts).toBe(0)
  })
})

describe('importPack with a broken pack', () => {
  const flip = (bytes: Buffer, at: number) => {
    const copy = Buffer.from(bytes)
    copy[at] ^= 0xff
    return copy
  }

  it('rejects corrupted and truncated packs with BAD_PACK and changes nothing', async () => {
    const victim = await createRepo('victim')
    await victim.commit({
      branch: 'main',
      changes: [{ path: 'keep.txt', action: 'write', content: Buffer.from('keep\n') }],
      message: 'keep\n',
      author: { name: 'V', email: 'v@example.com', timestamp: 1_700_000_000 },
      expectedHead: null,
    })
    const snapshot = async () => ({
      objects: await store.countObjects(victim.repoId),
      all: Number(
        (await db.query<{ n: string }>('SELECT count(*) AS n FROM git_objects')).rows[0].n,
      ),
      refs: await store.listRefs(victim.repoId),
    })
    const before = await snapshot()
    const broken: [string, Buffer][] = [
      ['a flipped byte in the middle', flip(pack, Math.floor(pack.length / 2))],
      ['a flipped byte in the first object', flip(pack, 14)],
      ['a flipped byte in the last object', flip(pack, pack.length - 25)],
      ['a flipped byte in the checksum', flip(pack, pack.length - 1)],
      ['a flipped signature', flip(pack, 0)],
      ['truncated to half', pack.subarray(0, Math.floor(pack.length / 2))],
      ['truncated by one byte', pack.subarray(0, pack.length - 1)],
      ['without its checksum', pack.subarray(0, pack.length - 20)],
      ['truncated to its header', pack.subarray(0, 12)],
    ]
    const refUpdates = [
      { name: 'refs/heads/main', oid: refs.find((r) => r.name === 'refs/heads/main')!.oid },
      {
        name: 'refs/heads/imported',
        oid: refs.find((r) => r.name === 'refs/heads/feature')!.oid,
        expected: null,
      },
    ]
    /** Imports each broken pack into `repoId`: every one fails with BAD_PACK, then `check`. */
    const importEach = async (repoId: number, check: (label: string) => Promise<void>) => {
      for (const [label, bytes] of broken) {
        const error = await importPack({ store, repoId, pack: bytes, refUpdates }).then(
          () => null,
          (err: unknown) => err,
        )
        expect(error, label).toBeInstanceOf(BadPackError)
        expect((error as BadPackError).code, label).toBe('BAD_PACK')
        await check(label)
      }
    }
    await importEach(victim.repoId, async (label) =>
      expect(await snapshot(), label).toEqual(before),
    )
    expect((await victim.log()).commits).toHaveLength(1)

    // A first import streams objects into the database while the pack is read: a pack that
    // breaks part-way must still leave the repository empty, and the connection usable.
    const empty = await createRepo('empty-victim')
    const all = async () =>
      Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM git_objects')).rows[0].n)
    const total = await all()
    const emptyRefs = await store.listRefs(empty.repoId)
    await importEach(empty.repoId, async (label) => {
      expect(await store.countObjects(empty.repoId), label).toBe(0)
      expect(await store.listRefs(empty.repoId), label).toEqual(emptyRefs)
      expect(await all(), label).toBe(total)
    })
    const imported = await importPack({ store, repoId: empty.repoId, pack, refUpdates })
    expect(await store.countObjects(empty.repoId)).toBe(imported.stored)
    expect((await empty.log({ ref: 'imported' })).commits.length).toBeGreaterThan(1)
  })
})

describe('Repository isolation', () => {
  it('never shows one repository the objects or refs of another', async () => {
    const other = await createRepo('isolated')
    const readme = await repo.readFile({ path: 'README.md' })
    const own = await other.commit({
      branch: 'main',
      changes: [
        { path: 'own.txt', action: 'write', content: Buffer.from('mine\n') },
        { path: 'same-as-fixture.md', action: 'write', content: readme.content },
      ],
      message: 'own\n',
      author: { name: 'B', email: 'b@example.com', timestamp: 1_700_000_000 },
      expectedHead: null,
    })
    const head = await repo.resolveRef('main')
    // every fixture object but the blob both repositories hold
    const fixtureOids = (await allObjectIds(fixture.dir)).filter((oid) => oid !== readme.oid)
    expect((await store.readObjects(other.repoId, fixtureOids)).size).toBe(0)
    expect((await store.hasObjects(other.repoId, fixtureOids)).size).toBe(0)
    expect(await store.findObjects(other.repoId, head.slice(0, 6))).toEqual([])
    for (const ref of [head, head.slice(0, 8), 'feature', 'v1.0', 'refs/tags/light', 'topic/x']) {
      await expect(other.resolveRef(ref), ref).rejects.toBeInstanceOf(RefNotFoundError)
    }
    await expect(other.readCommit(head)).rejects.toThrow()
    await expect(other.log({ ref: head })).rejects.toThrow()
    await expect(repo.resolveRef(own.oid)).rejects.toBeInstanceOf(RefNotFoundError)
    expect((await store.hasObjects(repo.repoId, [own.oid, own.tree])).size).toBe(0)
    expect((await store.listRefs(other.repoId)).map((r) => r.name)).toEqual([
      'HEAD',
      'refs/heads/main',
    ])
    expect((await store.listRefs(repo.repoId)).map((r) => r.name)).toEqual([
      'HEAD',
      ...refs.map((r) => r.name),
    ])
    expect(await other.listFiles()).toHaveLength(2)

    // the same blob in both repositories is stored once in each; deleting one leaves the other whole
    const fixtureCount = await store.countObjects(repo.repoId)
    expect((await store.hasObjects(other.repoId, [readme.oid])).size).toBe(1)
    await store.deleteRepo(other.repoId)
    expect(await store.countObjects(other.repoId)).toBe(0)
    expect(await store.countObjects(repo.repoId)).toBe(fixtureCount)
    expect((await repo.readFile({ path: 'README.md' })).content.equals(readme.content)).toBe(true)
  })
})
