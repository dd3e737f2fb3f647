import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  hashObject,
  importPack,
  MAX_DELTA_DEPTH,
  PostgresStore,
  preparePack,
  type GitObject,
  type ObjectType,
} from '@gitpg/git-pg-fs'
import { catFileBatch, git, gitOutput, lines, packRepo } from './support/git-cli.ts'
import { fsckStrict } from './support/export-objects.ts'
import { createStoreDatabase, type StoreDatabase } from './support/store-database.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'

const KEY = 'packed-storage-key'
const identity = ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com']
let tmp: string
let source: string
let all: string[]
let stores: StoreDatabase

/**
 * A history whose files change a line or two per commit, keeping their size: packed with a large
 * window and depth, their versions chain far deeper than the store keeps.
 */
async function buildHistory(dir: string, commits: number) {
  await git(tmp, ['init', '-q', '-b', 'main', dir])
  const text = Array.from({ length: 300 }, (_, i) => `${i} lorem ipsum dolor sit amet`)
  for (let i = 0; i < commits; i++) {
    text[(i * 7) % 300] = `changed in commit ${i}`
    await writeFile(join(dir, 'edit.txt'), `${text.join('\n')}\n`)
    await writeFile(join(dir, `f${i % 5}.txt`), `version ${i}\n${text.slice(0, 80).join('\n')}\n`)
    await git(dir, ['add', '-A'])
    await git(dir, [...identity, 'commit', '-q', '-m', `commit ${i}`])
  }
  await git(dir, ['repack', '-adfq', '--depth=200', '--window=200'])
}

/** Reads every object of `oids` from the store and checks it against git's. */
async function expectSameObjects(repoId: number, oids: readonly string[]) {
  const stored = await stores.store.readObjects(repoId, oids)
  const expected = await catFileBatch(source, oids)
  expect(stored.size).toBe(oids.length)
  for (const oid of oids) {
    const o = stored.get(oid)!
    expect(hashObject(o.type, o.content)).toBe(oid)
    expect(o.type).toBe(expected.get(oid)!.type)
  }
}

/** The stored form of a repository's rows: deltas and their deepest chain. */
async function storedShape(repoId: number) {
  const { rows } = await stores.db.query<{ deltas: number; whole: number; depth: number }>(
    `SELECT count(*) FILTER (WHERE base IS NOT NULL)::int AS deltas,
       count(*) FILTER (WHERE base IS NULL)::int AS whole, max(depth)::int AS depth
     FROM git_objects WHERE repo_id = $1 AND zlib`,
    [repoId],
  )
  return rows[0]
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gitpg-packed-'))
  source = join(tmp, 'source')
  await buildHistory(source, 120)
  all = lines(
    await gitOutput(source, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)']),
  )
  stores = await createStoreDatabase()
}, 120_000)

afterAll(async () => {
  await stores?.close()
  await rm(tmp, { recursive: true, force: true })
})

describe('packed storage', () => {
  it('keeps an offset-delta pack as deltas, cuts chains at the bound, and reads back every object', async () => {
    const verify = await gitOutput(source, ['verify-pack', '-v', ...(await packIndexes(source))])
    expect(Math.max(...lines(verify).map((l) => Number(l.split(/\s+/)[5]) || 0))).toBeGreaterThan(
      MAX_DELTA_DEPTH,
    )
    const { repo } = await stores.store.createRepo({ name: 'ofs' })
    const result = await importPack({
      store: stores.store,
      repoId: repo.repoId,
      pack: await packRepo(source),
    })
    expect(result.stored).toBe(all.length)
    const shape = await storedShape(repo.repoId)
    expect(shape.deltas).toBeGreaterThan(all.length / 3)
    expect(shape.depth).toBe(MAX_DELTA_DEPTH)
    await expectSameObjects(repo.repoId, all)
  })

  it('keeps a ref-delta pack as deltas, written in batches into a repository with objects', async () => {
    const { repo } = await stores.store.createRepo({ name: 'ref' })
    const seed = (await catFileBatch(source, [all[0]])).get(all[0])!
    await stores.store.writeObjects(repo.repoId, [
      { oid: seed.oid, type: seed.type as ObjectType, content: seed.content },
    ])
    const pack = await packRepo(source, { ofsDelta: false })
    await importPack({ store: stores.store, repoId: repo.repoId, pack })
    const shape = await storedShape(repo.repoId)
    expect(shape.deltas).toBeGreaterThan(all.length / 3)
    expect(shape.depth).toBeLessThanOrEqual(MAX_DELTA_DEPTH)
    await expectSameObjects(repo.repoId, all)
  })

  it('reads an object at the end of the deepest chain in two queries, its chain in one', async () => {
    const { repo } = await stores.store.createRepo({ name: 'chains' })
    await importPack({ store: stores.store, repoId: repo.repoId, pack: await packRepo(source) })
    const { rows } = await stores.db.query<{ oid: string; depth: number }>(
      `SELECT encode(oid, 'hex') AS oid, depth FROM git_objects WHERE repo_id = $1
       ORDER BY depth DESC, oid LIMIT 1`,
      [repo.repoId],
    )
    expect(rows[0].depth).toBe(MAX_DELTA_DEPTH)
    // a store of its own: no delta base cached yet
    const cold = new PostgresStore({ db: stores.db })
    const queries = vi.spyOn(stores.db, 'queryPrepared')
    try {
      const read = await cold.readObjects(repo.repoId, [rows[0].oid])
      const o = read.get(rows[0].oid)!
      expect(hashObject(o.type, o.content)).toBe(rows[0].oid)
      expect(queries).toHaveBeenCalledTimes(2)
    } finally {
      queries.mockRestore()
    }
  })

  it('streams every object of a type with its chains resolved', async () => {
    const { repo } = await stores.store.createRepo({ name: 'streamed' })
    await importPack({ store: stores.store, repoId: repo.repoId, pack: await packRepo(source) })
    const streamed: GitObject[] = []
    for (const type of ['commit', 'tree', 'blob'] as const) {
      for await (const batch of stores.store.streamObjects(repo.repoId, type))
        streamed.push(...batch)
    }
    expect(streamed.map((o) => o.oid).sort()).toEqual([...all].sort())
    for (const o of streamed) expect(hashObject(o.type, o.content)).toBe(o.oid)
  })
})

describe('full pack', () => {
  it('sends the same pack when the trees are too many to hold and the store resolves them', async () => {
    const { repo } = await stores.store.createRepo({ name: 'bounded' })
    await importPack({ store: stores.store, repoId: repo.repoId, pack: await packRepo(source) })
    const wants = [(await gitOutput(source, ['rev-parse', 'main'])).trim()]
    const packOf = async (treeBytes?: number) => {
      const pack = await preparePack({ store: stores.store, repoId: repo.repoId, wants, treeBytes })
      const chunks: Buffer[] = []
      for await (const chunk of pack.stream) chunks.push(chunk)
      return Buffer.concat(chunks)
    }
    const held = await packOf()
    // the first pack recorded that it sent everything: forgotten, the next one walks again
    await stores.db.query('DELETE FROM git_full_packs WHERE repo_id = $1', [repo.repoId])
    expect((await packOf(1)).equals(held)).toBe(true)
    const dir = join(tmp, 'bounded.git')
    await git(tmp, ['init', '-q', '--bare', dir])
    await git(dir, ['index-pack', '--stdin', '--strict'], { input: held })
    expect(
      lines(await gitOutput(dir, ['cat-file', '--batch-all-objects', '--batch-check'])).length,
    ).toBe(all.length)
  })
})

describe('packed storage over git', () => {
  let stack: TestStack
  beforeAll(async () => {
    stack = await startTestStack({ name: 'packed-git', apiKey: KEY })
  })
  afterAll(() => stack?.close())

  it('serves clones and fetches of pushed deltas that git fsck accepts, mixed with API commits', async () => {
    expect((await stack.api('PUT', '/projects/packed', {})).status).toBe(201)
    await git(source, ['push', '-q', stack.remote('packed'), 'main'])
    const { rows } = await stack.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM git_objects WHERE base IS NOT NULL',
    )
    expect(rows[0].n).toBeGreaterThan(all.length / 3)

    const work = join(tmp, 'work')
    await git(tmp, ['-c', 'transfer.fsckObjects=true', 'clone', '-q', stack.remote('packed'), work])
    await fsckStrict(work)
    // an API commit, then a push whose thin pack builds on stored deltas
    const put = await fetch(`${stack.server.url}/files/packed/edit.txt?message=api`, {
      method: 'PUT',
      headers: { 'X-Internal-API-Key': KEY },
      body: 'rewritten by the API\n',
    })
    expect(put.status).toBeLessThan(300)
    await git(work, ['pull', '-q', '--no-rebase', 'origin', 'main'])
    await writeFile(join(work, 'f1.txt'), 'version pushed\n')
    await git(work, [...identity, 'commit', '-qam', 'pushed'])
    await git(work, ['push', '-q', 'origin', 'main'])

    const again = join(tmp, 'again.git')
    await git(tmp, [
      '-c',
      'transfer.fsckObjects=true',
      'clone',
      '-q',
      '--bare',
      stack.remote('packed'),
      again,
    ])
    await fsckStrict(again)
    const head = (await gitOutput(work, ['rev-parse', 'HEAD'])).trim()
    expect((await gitOutput(again, ['rev-parse', 'main'])).trim()).toBe(head)
    expect(lines(await gitOutput(again, ['rev-list', '--objects', 'main'])).length).toBe(
      lines(await gitOutput(work, ['rev-list', '--objects', 'HEAD'])).length,
    )
    await git(source, [
      '-c',
      'transfer.fsckObjects=true',
      'fetch',
      '-q',
      stack.remote('packed'),
      'main',
    ])
    await fsckStrict(source)
  })

  it('clones an old commit whose stored deltas build on objects the clone does not get', async () => {
    expect((await stack.api('PUT', '/projects/old', {})).status).toBe(201)
    const old = (await gitOutput(source, ['rev-parse', 'main~100'])).trim()
    const repo = (await stack.store.getRepo('old'))!
    await importPack({
      store: stack.store,
      repoId: repo.repoId,
      pack: await packRepo(source),
      refUpdates: [{ name: 'refs/heads/main', oid: old }],
    })
    const dir = join(tmp, 'old.git')
    await git(tmp, [
      '-c',
      'transfer.fsckObjects=true',
      'clone',
      '-q',
      '--bare',
      stack.remote('old'),
      dir,
    ])
    await fsckStrict(dir)
    const objects = (d: string) =>
      gitOutput(d, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)'])
    expect(lines(await objects(dir)).sort()).toEqual(
      lines(await gitOutput(source, ['rev-list', '--objects', old]))
        .map((l) => l.slice(0, 40))
        .sort(),
    )
  })
})

async function packIndexes(dir: string): Promise<string[]> {
  const out = await gitOutput(dir, ['rev-parse', '--git-path', 'objects/pack'])
  const packDir = join(dir, lines(out)[0])
  const { readdir } = await import('node:fs/promises')
  return (await readdir(packDir)).filter((f) => f.endsWith('.idx')).map((f) => join(packDir, f))
}
