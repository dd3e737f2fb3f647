import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createDelta,
  hashObject,
  importPack,
  MAX_DELTA_DEPTH,
  PostgresStore,
  preparePack,
  repack,
  Repository,
  type FileChange,
} from '@gitpg/git-pg-fs'
import { catFileBatch, git, gitOutput, lines, packRepo } from './support/git-cli.ts'
import { fsckStrict } from './support/export-objects.ts'
import { markedFromGit } from './support/marked-from-git.ts'
import { createStoreDatabase, type StoreDatabase } from './support/store-database.ts'

const identity = ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com']
let tmp: string
let stores: StoreDatabase

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gitpg-repack-'))
  stores = await createStoreDatabase()
})

afterAll(async () => {
  await stores?.close()
  await rm(tmp, { recursive: true, force: true })
})

/** A text of `lines` numbered lines, line `edit` (mod lines) saying which version it is. */
function text(lineCount: number, version: number, edit = version): Buffer {
  const out = Array.from({ length: lineCount }, (_, i) => `${i} the quick brown fox ${i * 7}`)
  out[edit % lineCount] = `version ${version}`
  return Buffer.from(`${out.join('\n')}\n`)
}

/** A repository with one API commit per element of `versions`, each writing its changes. */
async function apiHistory(name: string, versions: FileChange[][]) {
  const { repo: record } = await stores.store.createRepo({ name })
  const repo = new Repository({
    store: stores.store,
    repoId: record.repoId,
    name,
    defaultBranch: 'main',
  })
  for (const [i, changes] of versions.entries()) {
    const author = { name: 'Ada', email: 'ada@example.com', timestamp: 1_700_000_000 + i * 60 }
    await repo.commit({ branch: 'main', changes, message: `version ${i}`, author })
  }
  return record.repoId
}

/** A clone of the repository's main branch, as a client gets it, into a new bare `dir`. */
async function cloneOut(repoId: number, name: string): Promise<string> {
  const head = (await stores.store.readRef(repoId, 'refs/heads/main'))!.oid!
  const pack = await preparePack({ store: stores.store, repoId, wants: [head] })
  const chunks: Buffer[] = []
  for await (const chunk of pack.stream) chunks.push(chunk)
  const dir = join(tmp, name)
  await git(tmp, ['init', '-q', '--bare', dir])
  await git(dir, ['index-pack', '--stdin', '--strict'], { input: Buffer.concat(chunks) })
  await git(dir, ['update-ref', 'refs/heads/main', head])
  return dir
}

/** Stored bytes and rows of a repository's objects. */
async function storedBytes(repoId: number) {
  const { rows } = await stores.db.query<{ bytes: number; n: number; deltas: number }>(
    `SELECT sum(octet_length(data))::int AS bytes, count(*)::int AS n,
       count(*) FILTER (WHERE base IS NOT NULL)::int AS deltas
     FROM git_objects WHERE repo_id = $1`,
    [repoId],
  )
  return rows[0]
}

/** Every row's depth against the length of its chain, followed by `base` in SQL. */
async function chainDepths(repoId: number) {
  const { rows } = await stores.db.query<{ oid: string; depth: number; chain: number | null }>(
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
    [repoId],
  )
  return rows
}

/** Each object of `dir` reads back from a store with nothing cached, byte for byte. */
async function expectSameAsGit(repoId: number, dir: string) {
  const oids = lines(
    await gitOutput(dir, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)']),
  )
  const expected = await catFileBatch(dir, oids)
  const stored = await new PostgresStore({ db: stores.db }).readObjects(repoId, oids)
  expect(stored.size).toBe(oids.length)
  for (const oid of oids) {
    expect(stored.get(oid)!.type).toBe(expected.get(oid)!.type)
    expect(stored.get(oid)!.content.equals(expected.get(oid)!.content)).toBe(true)
  }
}

async function expectExactDepths(repoId: number) {
  const depths = await chainDepths(repoId)
  for (const row of depths) expect(row.chain, `chain of ${row.oid}`).toBe(row.depth)
  return Math.max(...depths.map((r) => r.depth))
}

/** A digest of every row as stored, to tell whether anything changed. */
async function rowsDigest(repoId: number, where = 'true') {
  const { rows } = await stores.db.query<{ digest: string }>(
    `SELECT md5(string_agg(encode(oid, 'hex') || coalesce(encode(base, 'hex'), '-') || depth
       || md5(data), ',' ORDER BY oid)) AS digest FROM git_objects WHERE repo_id = $1 AND ${where}`,
    [repoId],
  )
  return rows[0].digest
}

/** The delta rows of a repository: id → base and digest of the stored bytes. */
async function deltaRows(repoId: number) {
  const { rows } = await stores.db.query<{ oid: string; row: string }>(
    `SELECT encode(oid, 'hex') AS oid, encode(base, 'hex') || ' ' || md5(data) AS row
     FROM git_objects WHERE repo_id = $1 AND base IS NOT NULL`,
    [repoId],
  )
  return new Map(rows.map((r) => [r.oid, r.row]))
}

describe('repack', () => {
  it('deltifies API commits, keeps the head whole, and every object reads back as git has it', async () => {
    const versions = Array.from({ length: 30 }, (_, v) =>
      Array.from({ length: 10 }, (_, f) => ({
        path: `src/file${f}.txt`,
        action: 'write' as const,
        content: text(200, v, v * 13 + f),
      })),
    )
    const repoId = await apiHistory('api', versions)
    const source = await cloneOut(repoId, 'api-before.git')
    const before = await storedBytes(repoId)
    const report = await repack({
      store: stores.store,
      repoId,
      marked: await markedFromGit(source),
      options: { prune: 'never', batchSize: 40 },
    })
    const after = await storedBytes(repoId)
    expect(report.deltified).toBe(after.deltas)
    // 29 older versions of 10 files (the trees change every id they hold: no gain)
    expect(report.deltified).toBeGreaterThanOrEqual(29 * 10)
    expect(before.bytes - after.bytes).toBe(report.bytesBefore - report.bytesAfter)
    expect(after.bytes / before.bytes).toBeLessThan(0.25)

    const head = lines(await gitOutput(source, ['ls-tree', '-r', '-t', '--object-only', 'main']))
    head.push((await gitOutput(source, ['rev-parse', 'main^{tree}'])).trim())
    const { rows } = await stores.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM git_objects
       WHERE repo_id = $1 AND oid = ANY($2::bytea[]) AND base IS NULL AND depth = 0`,
      [repoId, head.map((o) => Buffer.from(o, 'hex'))],
    )
    expect(rows[0].n).toBe(head.length)

    await expectSameAsGit(repoId, source)
    expect(await expectExactDepths(repoId)).toBeGreaterThan(0)
    const clone = await cloneOut(repoId, 'api-after.git')
    await fsckStrict(clone)
    expect(lines(await gitOutput(clone, ['rev-list', '--objects', 'main'])).length).toBe(
      lines(await gitOutput(source, ['rev-list', '--objects', 'main'])).length,
    )

    const digest = await rowsDigest(repoId)
    const again = await repack({
      store: stores.store,
      repoId,
      marked: await markedFromGit(source),
      options: { prune: 'never' },
    })
    expect(again.deltified).toBe(0)
    expect(await rowsDigest(repoId)).toBe(digest)
  })

  it('keeps every chain of a 70-version history within the bound, depths exact', async () => {
    const versions = Array.from({ length: 70 }, (_, v) => [
      { path: 'notes.txt', action: 'write' as const, content: text(150, v, v * 3) },
    ])
    const repoId = await apiHistory('deep', versions)
    const source = await cloneOut(repoId, 'deep.git')
    const report = await repack({
      store: stores.store,
      repoId,
      marked: await markedFromGit(source),
      options: { prune: 'never', batchSize: 7 },
    })
    expect(report.deltified).toBeGreaterThanOrEqual(65)
    const deepest = await expectExactDepths(repoId)
    expect(deepest).toBeLessThanOrEqual(MAX_DELTA_DEPTH)
    expect(deepest).toBeGreaterThan(MAX_DELTA_DEPTH / 2)
    await expectSameAsGit(repoId, source)
    await fsckStrict(await cloneOut(repoId, 'deep-after.git'))
  })

  it('counts the rows built on a whole object: its chains stay within the bound, depths shifted exactly', async () => {
    const contents = Array.from({ length: 60 }, (_, v) => text(150, v, v * 3))
    const repoId = await apiHistory(
      'dependants',
      contents.map((content) => [{ path: 'shrink.txt', action: 'write' as const, content }]),
    )
    const source = await cloneOut(repoId, 'dependants.git')
    const oids = await Promise.all(
      contents.map(async (_, v) =>
        (await gitOutput(source, ['rev-parse', `main~${59 - v}:shrink.txt`])).trim(),
      ),
    )
    // as an import can leave it: versions 1..45 a chain on the oldest, which stays whole
    for (let v = 1; v <= 45; v++) {
      await stores.db.query(
        `UPDATE git_objects SET data = $3, base = $4, depth = $5 WHERE repo_id = $1 AND oid = $2`,
        [
          repoId,
          Buffer.from(oids[v], 'hex'),
          deflateSync(createDelta(contents[v - 1], contents[v])!),
          Buffer.from(oids[v - 1], 'hex'),
          v,
        ],
      )
    }
    const report = await repack({
      store: stores.store,
      repoId,
      marked: await markedFromGit(source),
      options: { prune: 'never', batchSize: 5 },
    })
    expect(report.deltified).toBeGreaterThanOrEqual(13)
    expect(await expectExactDepths(repoId)).toBeLessThanOrEqual(MAX_DELTA_DEPTH)
    await expectSameAsGit(repoId, source)
  })

  it('makes no cycle when a file is reverted and the newer version is a delta on the older', async () => {
    const a = text(100, 1)
    const b = Buffer.concat([text(100, 2), Buffer.from('a longer tail\n'.repeat(20))])
    const write = (content: Buffer) => [{ path: 'r.txt', action: 'write' as const, content }]
    const repoId = await apiHistory('revert', [write(a), write(b), write(a)])
    const source = await cloneOut(repoId, 'revert.git')
    const marked = await markedFromGit(source)
    const [oidA, oidB] = await Promise.all(
      ['main:r.txt', 'main~1:r.txt'].map(async (r) =>
        (await gitOutput(source, ['rev-parse', r])).trim(),
      ),
    )
    // as an import can leave it: the head's version a delta on the older, larger one
    await stores.db.query(
      `UPDATE git_objects SET data = $3, base = $4, depth = 1 WHERE repo_id = $1 AND oid = $2`,
      [repoId, Buffer.from(oidA, 'hex'), deflateSync(createDelta(b, a)!), Buffer.from(oidB, 'hex')],
    )
    await repack({ store: stores.store, repoId, marked, options: { prune: 'never' } })
    await expectExactDepths(repoId)
    await expectSameAsGit(repoId, source)
    const revert = await apiHistory('revert-plain', [write(a), write(b), write(a)])
    await repack({ store: stores.store, repoId: revert, marked, options: { prune: 'never' } })
    const rows = await chainDepths(revert)
    expect(rows.find((r) => r.oid === oidB)!.depth).toBe(1)
    expect(rows.find((r) => r.oid === oidA)!.depth).toBe(0)
    await expectExactDepths(revert)
  })

  it('leaves imported deltas as they are, while deltifying API commits on top of them', async () => {
    const dir = join(tmp, 'imported-source')
    await git(tmp, ['init', '-q', '-b', 'main', dir])
    for (let i = 0; i < 20; i++) {
      await writeFile(join(dir, 'log.txt'), text(300, i))
      await writeFile(join(dir, `f${i % 3}.txt`), text(100, i, i * 5))
      await git(dir, ['add', '-A'])
      await git(dir, [...identity, 'commit', '-q', '-m', `commit ${i}`])
    }
    const { repo } = await stores.store.createRepo({ name: 'imported' })
    const head = (await gitOutput(dir, ['rev-parse', 'main'])).trim()
    await importPack({
      store: stores.store,
      repoId: repo.repoId,
      pack: await packRepo(dir),
      refUpdates: [{ name: 'refs/heads/main', oid: head }],
    })
    const imported = await deltaRows(repo.repoId)
    const { deltas } = await storedBytes(repo.repoId)
    expect(deltas).toBeGreaterThan(10)
    const api = new Repository({
      store: stores.store,
      repoId: repo.repoId,
      name: 'imported',
      defaultBranch: 'main',
    })
    for (let i = 20; i < 30; i++) {
      const changes = [{ path: 'log.txt', action: 'write' as const, content: text(300, i) }]
      await api.commit({
        branch: 'main',
        changes,
        message: `api ${i}`,
        author: { name: 'Ada', email: 'ada@example.com' },
      })
    }
    const source = await cloneOut(repo.repoId, 'imported.git')
    const report = await repack({
      store: stores.store,
      repoId: repo.repoId,
      marked: await markedFromGit(source),
      options: { prune: 'never' },
    })
    expect(report.deltified).toBeGreaterThanOrEqual(9)
    const now = await deltaRows(repo.repoId)
    expect(now.size).toBe(deltas + report.deltified)
    // the imported deltas keep their bytes and bases
    for (const [oid, row] of imported) expect(now.get(oid)).toBe(row)
    await expectExactDepths(repo.repoId)
    await expectSameAsGit(repo.repoId, source)
    await fsckStrict(await cloneOut(repo.repoId, 'imported-after.git'))
  })

  it('counts without writing on a dry run, stops between batches when aborted, and reads stay whole meanwhile', async () => {
    const versions = Array.from({ length: 20 }, (_, v) =>
      Array.from({ length: 3 }, (_, f) => ({
        path: `f${f}.txt`,
        action: 'write' as const,
        content: text(120, v, v + f),
      })),
    )
    const repoId = await apiHistory('dry', versions)
    const source = await cloneOut(repoId, 'dry.git')
    const marked = await markedFromGit(source)
    const digest = await rowsDigest(repoId)
    const run = (options: Omit<Parameters<typeof repack>[0]['options'], 'prune'>) =>
      repack({ store: stores.store, repoId, marked, options: { prune: 'never', ...options } })

    const dry = await run({ dryRun: true })
    expect(dry.deltified).toBeGreaterThanOrEqual(19 * 3)
    expect(await rowsDigest(repoId)).toBe(digest)

    const controller = new AbortController()
    let batches = 0
    const log = (event: string) => {
      if (event === 'repack-batch' && ++batches === 2) controller.abort()
    }
    await expect(run({ batchSize: 5, signal: controller.signal, log })).rejects.toMatchObject({
      name: 'AbortError',
    })
    expect((await storedBytes(repoId)).deltas).toBe(10)
    await expectExactDepths(repoId)

    // the rest, while a reader with nothing cached reads every object again and again
    const oids = [...marked.reachable.keys()]
    let reading = true
    let reads = 0
    const reader = (async () => {
      while (reading) {
        const got = await new PostgresStore({ db: stores.db }).readObjects(repoId, oids)
        expect(got.size).toBe(oids.length)
        for (const [oid, o] of got) expect(hashObject(o.type, o.content)).toBe(oid)
        reads += 1
      }
    })()
    const rest = await run({ batchSize: 3 }).finally(() => (reading = false))
    await reader
    expect(rest.deltified).toBe(dry.deltified - 10)
    expect(reads).toBeGreaterThan(1)
    await expectExactDepths(repoId)
    await expectSameAsGit(repoId, source)
  })

  it('leaves a batch unwritten when its rows changed since the scan, and stops', async () => {
    const versions = Array.from({ length: 12 }, (_, v) => [
      { path: 'g.txt', action: 'write' as const, content: text(120, v) },
    ])
    const repoId = await apiHistory('guarded', versions)
    const source = await cloneOut(repoId, 'guarded.git')
    const events: string[] = []
    let rewrite: Promise<unknown> = Promise.resolve()
    const log = (event: string) => {
      events.push(event)
      // another writer stores every whole row again, one byte longer, after the first batch
      // (while repack pauses between batches)
      if (event === 'repack-batch' && events.length === 1)
        rewrite = stores.db.query(
          `UPDATE git_objects SET data = data || '\\x00'::bytea WHERE repo_id = $1 AND base IS NULL`,
          [repoId],
        )
    }
    const report = await repack({
      store: stores.store,
      repoId,
      marked: await markedFromGit(source),
      options: { prune: 'never', batchSize: 4, pauseMs: 300, log },
    })
    await rewrite
    expect(events).toEqual(['repack-batch', 'repack-stopped'])
    expect(report.deltified).toBe(4)
    expect((await storedBytes(repoId)).deltas).toBe(4)
    await expectExactDepths(repoId)
  })

  it('gives a delta pushed on a stored row the depth that row has, however repack changed it', async () => {
    const versions = Array.from({ length: 3 }, (_, v) => [
      { path: 'h.txt', action: 'write' as const, content: text(150, v) },
    ])
    const repoId = await apiHistory('pushed-on', versions)
    const source = await cloneOut(repoId, 'pushed-on.git')
    const oldest = (await gitOutput(source, ['rev-parse', 'main~2:h.txt'])).trim()
    const writer = new PostgresStore({ db: stores.db })
    let n = 0
    /** as a push whose pack holds `oldest` whole and a new version as a delta on it stores them */
    const pushOnOldest = async () => {
      const base = (await writer.readObjects(repoId, [oldest])).get(oldest)!
      const content = Buffer.concat([base.content, Buffer.from(`pushed ${++n}\n`)])
      const delta = createDelta(base.content, content)!
      const oid = hashObject('blob', content)
      await writer.writeObjects(repoId, [
        { ...base, packed: { data: deflateSync(base.content), base: null, depth: 0 } },
        {
          oid,
          type: 'blob',
          content,
          packed: { data: deflateSync(delta), base: oldest, depth: 1 },
        },
      ])
      return oid
    }
    // a push stored between repack's scan and its batch builds on a row the batch makes a delta
    const transaction = stores.store.transaction.bind(stores.store)
    let during: Promise<string> | null = null
    const spy = vi.spyOn(stores.store, 'transaction').mockImplementation(async (fn) => {
      during ??= pushOnOldest()
      await during
      return transaction(fn)
    })
    let first
    try {
      first = await repack({
        store: stores.store,
        repoId,
        marked: await markedFromGit(source),
        options: { prune: 'never' },
      })
    } finally {
      spy.mockRestore()
    }
    expect(during).not.toBeNull()
    await expectExactDepths(repoId)
    const again = await repack({
      store: stores.store,
      repoId,
      marked: await markedFromGit(source),
      options: { prune: 'never' },
    })
    expect(first.deltified + again.deltified).toBeGreaterThan(0)
    const stored = await storedBytes(repoId)
    expect(stored.deltas).toBeGreaterThan(1)
    // a push after repack builds on the row repack made a delta
    const after = await pushOnOldest()
    expect(await expectExactDepths(repoId)).toBeGreaterThan(1)
    const read = await new PostgresStore({ db: stores.db }).readObjects(repoId, [
      after,
      await during!,
    ])
    expect(read.size).toBe(2)
    await expectSameAsGit(repoId, source)
  })
})
