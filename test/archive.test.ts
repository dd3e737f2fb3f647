import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createDelta,
  hashObject,
  maintainRepo,
  PostgresStore,
  preparePack,
  Repository,
  type FileChange,
  type MaintenanceOptions,
  type MaintenanceReport,
} from '@gitpg/git-pg-fs'
import { catFileBatch, git, gitOutput, lines } from './support/git-cli.ts'
import { fsckStrict } from './support/export-objects.ts'
import { createStoreDatabase, type StoreDatabase } from './support/store-database.ts'

let tmp: string
let stores: StoreDatabase

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gitpg-archive-'))
  stores = await createStoreDatabase()
})

afterAll(async () => {
  await stores?.close()
  await rm(tmp, { recursive: true, force: true })
})

/** A text of numbered lines, one of them saying which version it is. */
function text(version: number, seed = 'fox'): string {
  const out = Array.from({ length: 120 }, (_, i) => `${i} the quick brown ${seed} ${i * 7}`)
  out[(version * 13) % out.length] = `version ${version}`
  return `${out.join('\n')}\n`
}

/** `count` API commits on `branch`, each editing two of three files in nested folders. */
async function apiCommits(repo: Repository, branch: string, count: number, seed: string) {
  for (let i = 0; i < count; i++) {
    const changes: FileChange[] = [
      { path: `src/${seed}/deep/a.ts`, action: 'write', content: Buffer.from(text(i, seed)) },
      {
        path: `docs/${seed}-${i % 2}.md`,
        action: 'write',
        content: Buffer.from(text(i * 3, seed)),
      },
    ]
    const author = { name: 'Ada', email: 'ada@example.com', timestamp: 1_700_000_000 + i * 60 }
    await repo.commit({ branch, changes, message: `${seed} ${i}`, author })
  }
}

async function newRepo(name: string): Promise<Repository> {
  const { repo } = await stores.store.createRepo({ name })
  return new Repository({ store: stores.store, repoId: repo.repoId, name, defaultBranch: 'main' })
}

/** A bare clone of every branch, as the server's upload-pack makes it, checked by index-pack. */
async function cloneOut(repoId: number, name: string): Promise<string> {
  const refs = (await stores.store.listRefs(repoId, 'refs/heads/')).filter((r) => r.oid)
  const pack = await preparePack({ store: stores.store, repoId, wants: refs.map((r) => r.oid!) })
  const chunks: Buffer[] = []
  for await (const chunk of pack.stream) chunks.push(chunk)
  const dir = join(tmp, name)
  await git(tmp, ['init', '-q', '--bare', dir])
  await git(dir, ['index-pack', '--stdin', '--strict'], { input: Buffer.concat(chunks) })
  for (const r of refs) await git(dir, ['update-ref', r.name, r.oid!])
  return dir
}

/** What git says each branch head needs (commits, root trees, everything below) and the rest. */
async function hotAndCold(dir: string) {
  const all = lines(await gitOutput(dir, ['rev-list', '--objects', '--all'])).map((l) =>
    l.slice(0, 40),
  )
  const commits = new Set(lines(await gitOutput(dir, ['rev-list', '--all'])))
  const hot = new Set(commits)
  const heads = lines(await gitOutput(dir, ['for-each-ref', '--format=%(objectname)']))
  for (const head of heads) {
    hot.add((await gitOutput(dir, ['rev-parse', `${head}^{tree}`])).trim())
    for (const l of lines(await gitOutput(dir, ['ls-tree', '-r', '-t', head])))
      hot.add(l.split(/\s+/)[2])
  }
  return { all, hot, cold: all.filter((oid) => !hot.has(oid)) }
}

async function rowIds(repoId: number): Promise<Set<string>> {
  const { rows } = await stores.db.query<{ oid: string }>(
    `SELECT encode(oid, 'hex') AS oid FROM git_objects WHERE repo_id = $1`,
    [repoId],
  )
  return new Set(rows.map((r) => r.oid))
}

async function packs(repoId: number) {
  const { rows } = await stores.db.query<{ objects: number; bytes: number }>(
    `SELECT objects, octet_length(data) + octet_length(idx) AS bytes
     FROM git_packs WHERE repo_id = $1 ORDER BY pack_id`,
    [repoId],
  )
  return rows
}

/** Each object of `dir` reads back from a store with nothing cached, as git has it. */
async function expectSameAsGit(repoId: number, dir: string, oids: readonly string[]) {
  const expected = await catFileBatch(dir, oids)
  const stored = await new PostgresStore({ db: stores.db }).readObjects(repoId, oids)
  expect([...oids].filter((oid) => !stored.has(oid))).toEqual([])
  for (const oid of oids) {
    expect(stored.get(oid)!.type).toBe(expected.get(oid)!.type)
    expect(stored.get(oid)!.content.equals(expected.get(oid)!.content), oid).toBe(true)
  }
}

async function maintain(repoId: number, options: MaintenanceOptions): Promise<MaintenanceReport> {
  const report = await maintainRepo({ store: stores.store, repoId, options })
  if (!report) throw new Error('locked')
  return report
}

describe('archive', () => {
  it('moves what no branch head shows into packs; every object reads back and clones as git has it', async () => {
    const repo = await newRepo('archive-history')
    await apiCommits(repo, 'main', 24, 'fox')
    await repo.createBranch({ name: 'side', from: 'main' })
    await apiCommits(repo, 'side', 6, 'cat')
    const source = await cloneOut(repo.repoId, 'history-before.git')
    const { all, hot, cold } = await hotAndCold(source)
    expect(cold.length).toBeGreaterThan(50)

    const report = await maintain(repo.repoId, { prune: 'now' })
    const { archived, heldAsBases, cheaperAsRows } = report.archive
    expect(report.archive.cold).toBe(cold.length)
    expect(archived + heldAsBases + cheaperAsRows).toBe(cold.length)
    // a file of 24 versions and the folders above it: most old versions are cheaper packed
    expect(archived).toBeGreaterThan(cold.length / 2)
    expect(report.archive.packsWritten).toBe(1)
    expect(report.archive.bytesAfter).toBeGreaterThan(0)
    const rows = await rowIds(repo.repoId)
    // heads, commits and the trees and blobs below each head stay rows; the rest is packed
    expect([...hot].filter((oid) => !rows.has(oid))).toEqual([])
    expect(cold.filter((oid) => rows.has(oid)).length).toBe(heldAsBases + cheaperAsRows)
    expect((await packs(repo.repoId)).map((p) => p.objects)).toEqual([archived])
    // no row is a delta on a packed object
    const { rows: onPacked } = await stores.db.query(
      `SELECT 1 FROM git_objects g WHERE g.repo_id = $1 AND g.base IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM git_objects b WHERE b.repo_id = $1 AND b.oid = g.base)`,
      [repo.repoId],
    )
    expect(onPacked).toEqual([])
    await expectSameAsGit(repo.repoId, source, all)

    const after = await cloneOut(repo.repoId, 'history-after.git')
    await fsckStrict(after)
    const log = ['log', '-p', '--format=%H %T %P %s', 'main', 'side']
    expect(await gitOutput(after, log)).toBe(await gitOutput(source, log))
    const diff = ['diff', 'main~20', 'main~3']
    expect(await gitOutput(after, diff)).toBe(await gitOutput(source, diff))

    // a second run looks only at what the first left as rows
    const again = await maintain(repo.repoId, { prune: 'now' })
    expect(again.archive.cold).toBe(heldAsBases + cheaperAsRows)
    expect(again.archive.archived).toBeLessThanOrEqual(again.archive.cold)
    await expectSameAsGit(repo.repoId, source, all)
    expect(again.gc).toMatchObject({ unreachable: 0, deleted: 0 })
  })

  it('counts on a dry run and changes nothing', async () => {
    const repo = await newRepo('archive-dry')
    await apiCommits(repo, 'main', 8, 'dry')
    const before = await rowIds(repo.repoId)
    const report = await maintain(repo.repoId, { prune: 'now', dryRun: true })
    expect(report.archive.archived).toBeGreaterThan(10)
    expect(report.archive.packsWritten).toBe(1)
    expect(await rowIds(repo.repoId)).toEqual(before)
    expect(await packs(repo.repoId)).toEqual([])
  })

  it('cuts packs to the object bound and merges the small ones', async () => {
    const repo = await newRepo('archive-bounds')
    await apiCommits(repo, 'main', 20, 'bound')
    const source = await cloneOut(repo.repoId, 'bounds-before.git')
    const { all, cold } = await hotAndCold(source)
    const report = await maintain(repo.repoId, { prune: 'now', packObjects: 5 })
    const { archived, packsWritten } = report.archive
    expect(packsWritten).toBeGreaterThan(8)
    expect(archived).toBeLessThanOrEqual(packsWritten * 5)
    expect(report.archive).toMatchObject({ packsMerged: packsWritten, mergedInto: 1 })
    expect((await packs(repo.repoId)).map((p) => p.objects)).toEqual([archived])
    expect(cold.length).toBeGreaterThan(archived)
    await expectSameAsGit(repo.repoId, source, all)
  })

  it('leaves an object a writer built a delta row on meanwhile as a row, and packs the rest', async () => {
    const repo = await newRepo('archive-conflict')
    await apiCommits(repo, 'main', 10, 'race')
    const source = await cloneOut(repo.repoId, 'conflict-before.git')
    const { all } = await hotAndCold(source)
    // the oldest version of the file: cold, and stored as a row now
    const oldest = lines(
      await gitOutput(source, ['rev-list', '--objects', 'main', '--', 'src/race/deep/a.ts']),
    )
      .map((l) => l.split(' '))
      .filter(([, path]) => path === 'src/race/deep/a.ts')
      .at(-1)![0]
    const base = (await catFileBatch(source, [oldest])).get(oldest)!.content
    const content = Buffer.concat([base, Buffer.from('one more line\n')])
    const oid = hashObject('blob', content)
    // a writer holds the GC lock (shared) from before the plan until after it, storing a delta
    // row on that version: the archive's write waits for it, then finds the row
    const writer = await stores.db.pool.connect()
    const conflicts: number[] = []
    let planned!: () => void
    const plannedNow = new Promise<void>((resolve) => (planned = resolve))
    try {
      await writer.query('BEGIN')
      await writer.query(
        `SELECT pg_advisory_xact_lock_shared(hashtextextended('gitpg-gc:' || $1::text, 0))`,
        [repo.repoId],
      )
      await writer.query(
        `INSERT INTO git_objects (repo_id, oid, type, size, data, base, depth, zlib)
         SELECT $1, $2, 3, $3, $4, $5, depth + 1, true FROM git_objects
         WHERE repo_id = $1 AND oid = $5`,
        [
          repo.repoId,
          Buffer.from(oid, 'hex'),
          content.length,
          deflateSync(createDelta(base, content)!),
          Buffer.from(oldest, 'hex'),
        ],
      )
      const run = maintain(repo.repoId, {
        prune: 'now',
        repack: false,
        log: (event, fields) => {
          if (event === 'archive-planned') planned()
          if (event === 'archive-conflict') conflicts.push(fields.held as number)
        },
      })
      await plannedNow
      await writer.query('COMMIT')
      const report = await run
      // the oldest version alone: a first version is stored whole
      expect(conflicts).toEqual([1])
      expect(report.archive.heldAsBases).toBeGreaterThanOrEqual(1)
      expect(report.archive.archived).toBeGreaterThan(20)
    } finally {
      writer.release()
    }
    const rows = await rowIds(repo.repoId)
    expect(rows.has(oldest)).toBe(true)
    expect(rows.has(oid)).toBe(true)
    const read = await new PostgresStore({ db: stores.db }).readObjects(repo.repoId, [oid])
    expect(read.get(oid)!.content.equals(content)).toBe(true)
    await expectSameAsGit(repo.repoId, source, all)
  })

  it("stores a tag's versions built on old versions again on the head's, and packs those", async () => {
    const repo = await newRepo('archive-reroot')
    await apiCommits(repo, 'main', 4, 'tag')
    const tagged = (await repo.readRef('refs/heads/main'))!
    await stores.store.updateRefs(repo.repoId, [
      { name: 'refs/tags/v1', expected: null, oid: tagged },
    ])
    await apiCommits(repo, 'main', 16, 'tag')
    // repack alone first: the tag's versions become deltas on the newer ones no head shows
    const repacked = await maintain(repo.repoId, { prune: 'now', archive: false })
    expect(repacked.repack.deltified).toBeGreaterThan(10)
    const source = await cloneOut(repo.repoId, 'reroot-before.git')
    await git(source, ['update-ref', 'refs/tags/v1', tagged])
    const { all, hot } = await hotAndCold(source)

    const report = await maintain(repo.repoId, { prune: 'now' })
    expect(report.archive.rerooted).toBeGreaterThan(0)
    expect(report.archive.archived).toBeGreaterThan(report.archive.heldAsBases)
    const rows = await rowIds(repo.repoId)
    expect([...hot].filter((oid) => !rows.has(oid))).toEqual([])
    // every row's depth is the length of its chain, and no chain leaves the rows
    const { rows: depths } = await stores.db.query<{ oid: string; depth: number; chain: number }>(
      `WITH RECURSIVE walk(oid, at, n) AS (
         SELECT oid, base, 0 FROM git_objects WHERE repo_id = $1
       UNION ALL
         SELECT w.oid, g.base, w.n + 1 FROM walk w
         JOIN git_objects g ON g.repo_id = $1 AND g.oid = w.at
         WHERE w.at IS NOT NULL AND w.n < 200
       )
       SELECT encode(g.oid, 'hex') AS oid, g.depth,
         (SELECT w.n FROM walk w WHERE w.oid = g.oid AND w.at IS NULL) AS chain
       FROM git_objects g WHERE g.repo_id = $1`,
      [repo.repoId],
    )
    for (const r of depths) expect(r.chain, `chain of ${r.oid}`).toBe(r.depth)
    await expectSameAsGit(repo.repoId, source, all)
  })

  it('collects a deleted branch whose objects were archived, and frees their bytes', async () => {
    const repo = await newRepo('archive-gc')
    await apiCommits(repo, 'main', 6, 'keep')
    await repo.createBranch({ name: 'topic', from: 'main' })
    await apiCommits(repo, 'topic', 12, 'gone')
    const source = await cloneOut(repo.repoId, 'gc-before.git')
    const garbage = lines(await gitOutput(source, ['rev-list', '--objects', 'topic', '^main'])).map(
      (l) => l.slice(0, 40),
    )
    const first = await maintain(repo.repoId, { prune: 'now' })
    expect(first.archive.archived).toBeGreaterThan(0)
    const packedBefore = await packs(repo.repoId)
    const rowsBefore = await rowIds(repo.repoId)
    const packedGarbage = garbage.filter((oid) => !rowsBefore.has(oid))
    expect(packedGarbage.length).toBeGreaterThan(10)

    await repo.deleteBranch('topic')
    const kept = await maintain(repo.repoId, { prune: new Date(Date.now() - 3_600_000) })
    expect(kept.gc).toMatchObject({ unreachable: garbage.length, deleted: 0, kept: garbage.length })
    expect((await stores.store.hasObjects(repo.repoId, packedGarbage)).size).toBe(
      packedGarbage.length,
    )
    const collected = await maintain(repo.repoId, { prune: 'now' })
    expect(collected.gc).toMatchObject({
      unreachable: garbage.length,
      deleted: garbage.length,
      fromPacks: packedGarbage.length,
    })
    expect(collected.gc.bytesFreed).toBeGreaterThan(0)
    const fresh = new PostgresStore({ db: stores.db })
    expect((await fresh.hasObjects(repo.repoId, garbage)).size).toBe(0)
    const packedAfter = await packs(repo.repoId)
    const sum = (ps: { bytes: number }[]) => ps.reduce((n, p) => n + p.bytes, 0)
    expect(sum(packedAfter)).toBeLessThan(sum(packedBefore))

    const after = await cloneOut(repo.repoId, 'gc-after.git')
    await fsckStrict(after)
    const kept2 = lines(await gitOutput(after, ['rev-list', '--objects', '--all']))
    await expectSameAsGit(
      repo.repoId,
      source,
      kept2.map((l) => l.slice(0, 40)),
    )
  })
})
