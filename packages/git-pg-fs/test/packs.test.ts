import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeObject, TYPE_CODE, type GitObject } from '../src/objects/git-object.ts'
import { createDelta } from '../src/pack/create-delta.ts'
import { Database, type Transaction } from '../src/store/postgres/database.ts'
import { lockGcExclusive } from '../src/store/postgres/gc-lock.ts'
import { GIT_MIGRATIONS_DIR, migrate } from '../src/store/postgres/migrate.ts'
import { PostgresStore } from '../src/store/postgres/postgres-store.ts'
import { readStorageStats } from '../src/store/postgres/storage-stats.ts'
import {
  listPacks,
  mergePacks,
  PackBaseConflictError,
  readPackedIds,
  removeFromPacks,
  writePack,
  type PackEntryInput,
} from '../src/store/postgres/packs/index.ts'
import { PackIndexCache } from '../src/store/postgres/packs/pack-index-cache.ts'
import { encodePack } from '../src/store/postgres/packs/pack-format.ts'
import {
  catFileBatch,
  cloneStrict,
  gitOutput,
  lines,
  type CatFileObject,
} from '../../../test/support/git-cli.ts'
import { fsckStrict } from '../../../test/support/export-objects.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { gitRemote, startTestServer } from '../../../test/support/test-server.ts'
import { GitHistory } from './support/git-history.ts'
import { buildPackHistory, coldObjects, packable, packEntries } from './support/pack-fixture.ts'

let database: TestDatabase
let db: Database
let store: PostgresStore
let h: GitHistory
let repoId: number
/** every object of the history, as git has it */
let all: Map<string, CatFileObject>
/** what went into packs */
let cold: Map<string, CatFileObject & { path: string }>
let packIds: number[]

const hex = (b: Buffer) => b.toString('hex')
/** a store of its own: another server, whose caches know nothing yet */
const otherServer = () => new PostgresStore({ db, packs: new PackIndexCache() })
/** `fn` in a transaction holding the repository's GC lock exclusively, as maintenance runs */
const inTx = <T>(fn: (tx: Transaction) => Promise<T>) =>
  db.transaction(async (tx) => {
    await lockGcExclusive(tx, repoId)
    return fn(tx)
  })

async function expectReadsAsGit(s: PostgresStore, oids: readonly string[]): Promise<void> {
  const read = await s.readObjects(repoId, oids)
  for (const oid of oids) {
    const o = read.get(oid)
    expect(o, oid).toBeDefined()
    expect(o!.type).toBe(all.get(oid)!.type)
    expect(o!.content.equals(all.get(oid)!.content), oid).toBe(true)
  }
}

beforeAll(async () => {
  database = await createTestDatabase()
  db = new Database({ connectionString: database.url })
  await migrate({ db, scope: 'git', dir: GIT_MIGRATIONS_DIR })
  store = new PostgresStore({ db })
  h = await GitHistory.create()
  await buildPackHistory(h)
  repoId = (await store.createRepo({ name: 'cold' })).repo.repoId
  await h.importInto({ store, repoId })
  all = await catFileBatch(h.dir, [...(await h.reachable()).keys()])
  const candidates = await coldObjects(h)
  cold = await packable(db, { repoId, cold: candidates })
  expect(cold.size).toBeGreaterThan(40)
  const entries = packEntries(cold.values())
  expect(entries.filter((e) => e.base !== null).length).toBeGreaterThan(15)
  const trees = entries.filter((e) => e.type === TYPE_CODE.tree)
  const blobs = entries.filter((e) => e.type === TYPE_CODE.blob)
  packIds = await inTx(async (tx) => [
    (await writePack({ db: tx, repoId, entries: trees })).packId,
    (await writePack({ db: tx, repoId, entries: blobs })).packId,
  ])
}, 60_000)

afterAll(async () => {
  await h?.remove()
  await db?.close()
  await database?.drop()
})

describe('cold packs', () => {
  it('move objects out of rows, and every object reads back as git has it', async () => {
    const stats = await readStorageStats(db, repoId)
    expect(stats).toMatchObject({
      objects: all.size - cold.size,
      packs: 2,
      packedObjects: cold.size,
    })
    expect((await readPackedIds({ db, repoId })).length).toBe(cold.size * 20)
    await expectReadsAsGit(store, [...all.keys()])
    await expectReadsAsGit(otherServer(), [...cold.keys()])
    await store.transaction(async (tx) => expectReadsAsGit(tx, [...cold.keys()].slice(0, 10)))
  })

  it('answers hasObjects, readObjectInfo, findObjects and countObjects for packed ids', async () => {
    const s = otherServer()
    const ids = [...all.keys()]
    expect((await s.hasObjects(repoId, [...ids, 'f'.repeat(40)])).size).toBe(all.size)
    const info = await s.readObjectInfo(repoId, ids)
    for (const [oid, o] of all)
      expect(info.get(oid)).toEqual({ type: o.type, size: o.content.length })
    const packed = [...cold.keys()][3]
    expect(await s.findObjects(repoId, packed.slice(0, 7))).toEqual([packed])
    // a short or malformed id is in no pack: not found, never an error
    for (const bad of [packed.slice(0, 7), 'zz' + packed.slice(2), packed + '00']) {
      expect((await s.hasObjects(repoId, [bad])).size).toBe(0)
      expect((await s.readObjectInfo(repoId, [bad])).size).toBe(0)
    }
    expect(await s.countObjects(repoId)).toBe(all.size)
    // a packed object stored again as a row is one object still
    const o = all.get(packed)!
    await db.query(
      `INSERT INTO git_objects (repo_id, oid, type, size, data, zlib) VALUES ($1, $2, $3, $4, $5, true)`,
      [
        repoId,
        Buffer.from(packed, 'hex'),
        TYPE_CODE[o.type as 'blob'],
        o.content.length,
        deflateSync(o.content),
      ],
    )
    expect(await s.countObjects(repoId)).toBe(all.size)
  })

  it('streams each object once: streamEverything, streamStored, streamObjects', async () => {
    const s = otherServer()
    const seen: string[] = []
    let count = -1
    for await (const item of s.streamEverything(repoId)) {
      if ('count' in item) count = item.count
      else for (const r of item) seen.push(hex(r.oid))
    }
    expect(count).toBe(all.size)
    expect(seen.sort()).toEqual([...all.keys()].sort())
    const stored: string[] = []
    const resolved: GitObject[] = []
    for (const type of ['commit', 'tree', 'blob'] as const) {
      for (const part of [0, 1]) {
        for await (const batch of s.streamStored(repoId, type, { part, parts: 2 }))
          for (const o of batch) stored.push(o.oid)
        for await (const batch of s.streamObjects(repoId, type, { part, parts: 2 }))
          resolved.push(...batch)
      }
    }
    expect(stored.sort()).toEqual([...all.keys()].sort())
    expect(resolved.map((o) => o.oid).sort()).toEqual([...all.keys()].sort())
    for (const o of resolved) expect(o.content.equals(all.get(o.oid)!.content)).toBe(true)
    const inTransaction = await s.transaction(async (tx) => {
      const ids: string[] = []
      for await (const item of tx.streamEverything(repoId))
        if (!('count' in item)) ids.push(...item.map((r) => hex(r.oid)))
      return ids
    })
    expect(inTransaction.sort()).toEqual([...all.keys()].sort())
  })

  it('reads packed objects within a byte budget, in the order asked', async () => {
    // past the one stored again as a row above
    const ids = [...cold.keys()].slice(4, 16)
    const { objects, unread } = await otherServer().readObjectsWithin(repoId, ids, 1 << 30)
    expect([...objects.keys()]).toEqual(ids)
    for (const oid of ids)
      expect(objects.get(oid)!.content.equals(all.get(oid)!.content)).toBe(true)
    expect(unread).toEqual([])
    const first = await otherServer().readObjectsWithin(repoId, ids, 1)
    expect([...first.objects.keys()]).toEqual([ids[0]])
    expect(first.unread.sort()).toEqual(ids.slice(1).sort())
  })

  it('serves a clone that git fsck --strict finds clean', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'gitpg-packs-'))
    const server = await startTestServer({
      tmp,
      apiKey: 'packs-test-api-key',
      databaseUrl: database.url,
    })
    try {
      const dir = await cloneStrict({
        url: gitRemote(server, 'packs-test-api-key', 'cold'),
        dir: join(tmp, 'clone'),
        args: ['--mirror'],
      })
      await fsckStrict(dir)
      const objects = lines(await gitOutput(dir, ['rev-list', '--all', '--objects'])).map((l) =>
        l.slice(0, 40),
      )
      expect(objects.sort()).toEqual([...all.keys()].sort())
      // the first clone found every stored object reachable: the next streams them all as stored
      expect(await store.readFullPack(repoId)).toMatchObject({ objects: all.size })
      const again = await cloneStrict({
        url: gitRemote(server, 'packs-test-api-key', 'cold'),
        dir: join(tmp, 'again'),
        args: ['--mirror'],
      })
      await fsckStrict(again)
      const second = lines(await gitOutput(again, ['rev-list', '--all', '--objects']))
      expect(second.length).toBe(all.size)
    } finally {
      await server.close()
      await rm(tmp, { recursive: true, force: true })
    }
  }, 30_000)

  it('mergePacks merges packs into one; a store with the old list still reads', async () => {
    const stale = otherServer()
    await expectReadsAsGit(stale, [...cold.keys()].slice(0, 3))
    const merged = await inTx((tx) => mergePacks({ db: tx, repoId, packIds }))
    expect(await listPacks({ db, repoId })).toMatchObject([
      { packId: merged.packId, objects: cold.size },
    ])
    await expectReadsAsGit(stale, [...cold.keys()])
    expect((await stale.hasObjects(repoId, [...cold.keys()])).size).toBe(cold.size)
    packIds = [merged.packId]
  })

  it('removeFromPacks re-encodes the entries built on removed ones', async () => {
    const entries = packEntries(cold.values())
    const bases = new Set(entries.filter((e) => e.base).map((e) => hex(e.base!)))
    // every other base of a chain: what was built on them is stored whole or keeps its delta
    const remove = [...bases].filter((_, i) => i % 2 === 0)
    const reader = otherServer()
    await expectReadsAsGit(reader, [...cold.keys()].slice(0, 3))
    const before = (await listPacks({ db, repoId }))[0].bytes
    const { objects, bytes } = await inTx((tx) =>
      removeFromPacks({ db: tx, repoId, oids: remove.map((o) => Buffer.from(o, 'hex')) }),
    )
    expect(objects).toBe(remove.length)
    // what deltas on a removed base is stored whole: the pack may grow
    expect(bytes).toBe(before - (await listPacks({ db, repoId }))[0].bytes)
    const kept = [...cold.keys()].filter((oid) => !remove.includes(oid))
    await expectReadsAsGit(reader, kept)
    await expectReadsAsGit(otherServer(), kept)
    expect((await reader.hasObjects(repoId, remove)).size).toBe(0)
    expect(await reader.countObjects(repoId)).toBe(all.size - remove.length)
    for (const oid of remove) cold.delete(oid)
  })

  it('a store that listed the packs finds objects packed since by another', async () => {
    const s = otherServer()
    await expectReadsAsGit(s, [...cold.keys()].slice(0, 2))
    const v1 = makeObject('blob', Buffer.from('fresh\n'.repeat(100)))
    const v2 = makeObject('blob', Buffer.from('fresh\n'.repeat(100) + 'again\n'))
    await store.writeObjects(repoId, [v1, v2])
    const entries: PackEntryInput[] = [v1, v2].map((o, i) => ({
      oid: Buffer.from(o.oid, 'hex'),
      type: TYPE_CODE.blob,
      size: o.content.length,
      data: deflateSync(i === 0 ? o.content : createDelta(v1.content, v2.content)!),
      base: i === 0 ? null : Buffer.from(v1.oid, 'hex'),
    }))
    await inTx((tx) => writePack({ db: tx, repoId, entries }))
    const read = await s.readObjects(repoId, [v2.oid])
    expect(read.get(v2.oid)!.content.equals(v2.content)).toBe(true)
    expect(await s.hasObjects(repoId, [v1.oid])).toEqual(new Set([v1.oid]))
    // a write of a packed object stores no row again
    expect(await s.writeObjects(repoId, [v1])).toBe(0)
  })

  it('deleteRepo removes the packs, one a transaction', async () => {
    const tables: string[] = []
    await store.deleteRepo(repoId, {
      onBatch: ({ table, rows }) => {
        if (table === 'git_packs') {
          expect(rows).toBeLessThanOrEqual(1)
          tables.push(table)
        }
      },
    })
    expect(tables.length).toBeGreaterThanOrEqual(2)
    const { rows } = await db.query('SELECT 1 FROM git_packs WHERE repo_id = $1', [repoId])
    expect(rows).toHaveLength(0)
  })
})

const whole = (o: GitObject): PackEntryInput => ({
  oid: Buffer.from(o.oid, 'hex'),
  type: TYPE_CODE[o.type],
  size: o.content.length,
  data: deflateSync(o.content),
  base: null,
})
const delta = (o: GitObject, base: GitObject): PackEntryInput => ({
  ...whole(o),
  data: deflateSync(createDelta(base.content, o.content)!),
  base: Buffer.from(base.oid, 'hex'),
})

describe('writePack', () => {
  it('refuses an id already packed, a base not in the pack, and a base of a remaining row', async () => {
    const { repo } = await store.createRepo({ name: 'conflict' })
    const v1 = makeObject('blob', Buffer.from('x\n'.repeat(300)))
    const v2 = makeObject('blob', Buffer.from('x\n'.repeat(300) + 'y\n'))
    const v3 = makeObject('blob', Buffer.from('z\n'.repeat(300)))
    await store.writeObjects(repo.repoId, [
      v1,
      { ...v2, packed: { data: delta(v2, v1).data, base: v1.oid, depth: 1 } },
      v3,
    ])
    await expect(writePack({ db, repoId: repo.repoId, entries: [delta(v2, v1)] })).rejects.toThrow(
      TypeError,
    )
    const err = await writePack({ db, repoId: repo.repoId, entries: [whole(v1)] }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(PackBaseConflictError)
    expect((err as PackBaseConflictError).code).toBe('PACK_BASE_CONFLICT')
    expect((err as PackBaseConflictError).oids).toEqual([v1.oid])
    expect(await listPacks({ db, repoId: repo.repoId })).toEqual([])
    // packed with what deltas on it, it goes
    await writePack({ db, repoId: repo.repoId, entries: [whole(v1), delta(v2, v1)] })
    await writePack({ db, repoId: repo.repoId, entries: [whole(v3)] })
    await expect(writePack({ db, repoId: repo.repoId, entries: [whole(v3)] })).rejects.toThrow(
      /already packed/,
    )
    const read = await otherServer().readObjects(repo.repoId, [v1.oid, v2.oid, v3.oid])
    expect(read.get(v2.oid)!.content.equals(v2.content)).toBe(true)
  })

  it('reads a packed object larger than one query sends in pieces', async () => {
    const { repo } = await store.createRepo({ name: 'large' })
    // random bytes do not compress: the entry is past LARGE_CONTENT (32 MiB), read in two pieces
    const big = makeObject('blob', randomBytes(33 * 1024 * 1024))
    const small = makeObject('blob', Buffer.from('small\n'))
    await writePack({ db, repoId: repo.repoId, entries: [whole(small), whole(big)] })
    const read = await otherServer().readObjects(repo.repoId, [big.oid, small.oid])
    expect(read.get(big.oid)!.content.equals(big.content)).toBe(true)
    expect(read.get(small.oid)!.content.toString()).toBe('small\n')
  }, 30_000)
})

describe('streamStored', () => {
  it('sends once an object a pack written during the stream holds and a row holds again', async () => {
    const { repo } = await store.createRepo({ name: 'moving' })
    const blobs = ['a', 'b', 'c'].map((n) => makeObject('blob', Buffer.from(`${n}\n`.repeat(50))))
    await store.writeObjects(repo.repoId, blobs)
    const stream = otherServer().streamStored(repo.repoId, 'blob')[Symbol.asyncIterator]()
    const first = await stream.next()
    const ids = first.done ? [] : first.value.map((o) => o.oid)
    expect(ids.sort()).toEqual(blobs.map((b) => b.oid).sort())
    // after the rows went out: a pack takes b, then b is stored as a row again
    const b = blobs[1]
    await writePack({ db, repoId: repo.repoId, entries: [whole(b)] })
    await db.query(
      `INSERT INTO git_objects (repo_id, oid, type, size, data, zlib) VALUES ($1, $2, 3, $3, $4, true)`,
      [repo.repoId, Buffer.from(b.oid, 'hex'), b.content.length, deflateSync(b.content)],
    )
    for (let r = await stream.next(); !r.done; r = await stream.next())
      ids.push(...r.value.map((o) => o.oid))
    expect(ids.sort()).toEqual(blobs.map((o) => o.oid).sort())
  })
})

describe('encodePack', () => {
  it('refuses a chain deeper than 50 deltas, and a circular one', () => {
    const versions = Array.from({ length: 52 }, (_, i) =>
      makeObject('blob', Buffer.from('v\n'.repeat(200) + `${i}\n`)),
    )
    const chain = versions.map((v, i) => (i === 0 ? whole(v) : delta(v, versions[i - 1])))
    expect(() => encodePack(chain.slice(0, 51))).not.toThrow()
    expect(() => encodePack(chain)).toThrow(/too long/)
    const [a, b] = versions
    expect(() => encodePack([delta(a, b), delta(b, a)])).toThrow(/too long/)
  })
})

describe('PackIndexCache', () => {
  it('keeps the indexes of the repositories used last within its bytes', async () => {
    const ids: number[] = []
    for (const name of ['lru-a', 'lru-b', 'lru-c']) {
      const { repo } = await store.createRepo({ name })
      const blobs = Array.from({ length: 50 }, (_, i) =>
        makeObject('blob', Buffer.from(`${name} ${i}`)),
      )
      await writePack({ db, repoId: repo.repoId, entries: blobs.map(whole) })
      ids.push(repo.repoId)
    }
    const one = (await new PackIndexCache().refresh(db, ids[0])).bytes
    const cache = new PackIndexCache({ maxBytes: 2 * one + 10 })
    for (const id of ids) await cache.refresh(db, id)
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes)
    expect(cache.get(ids[0])).toBeUndefined()
    expect(cache.get(ids[1])?.packs.size).toBe(1)
    expect(cache.get(ids[2])?.packs.size).toBe(1)
    // one repository alone over the budget is still served
    const tiny = new PackIndexCache({ maxBytes: 0 })
    expect((await tiny.refresh(db, ids[0])).packs.size).toBe(1)
  })

  it('costs a repository without packs nothing on a read of rows, one small query on a miss', async () => {
    const { repo } = await store.createRepo({ name: 'no-packs' })
    const blob = makeObject('blob', Buffer.from('kept in a row\n'))
    await store.writeObjects(repo.repoId, [blob])
    const counted = new PostgresStore({ db, packs: new PackIndexCache() })
    const sent: string[] = []
    const query = db.pool.query.bind(db.pool) as (...args: unknown[]) => unknown
    const pool = db.pool as unknown as { query: unknown }
    pool.query = (...args: unknown[]) => {
      const text = args[0]
      sent.push(typeof text === 'string' ? text : (text as { text: string }).text)
      return query(...args)
    }
    try {
      await counted.readObjects(repo.repoId, [blob.oid])
      expect(sent).toHaveLength(1)
      sent.length = 0
      expect((await counted.readObjects(repo.repoId, ['e'.repeat(40)])).size).toBe(0)
      expect(sent).toHaveLength(2)
      expect(sent[1]).toMatch(/FROM git_packs WHERE repo_id = \$1/)
    } finally {
      pool.query = query
    }
  })
})
