import { randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeObject, type GitObject } from '../src/objects/git-object.ts'
import { createDelta } from '../src/pack/create-delta.ts'
import type { PostgresStore } from '../src/store/postgres/postgres-store.ts'
import { createStoreDatabase, type StoreDatabase } from '../../../test/support/store-database.ts'

let stored: StoreDatabase
let store: PostgresStore

beforeAll(async () => {
  stored = await createStoreDatabase()
  store = stored.store
})

afterAll(() => stored?.close())

describe('PostgresStore', () => {
  it('writes a large content and reads it back in pieces', async () => {
    const { repo } = await store.createRepo({ name: 'large' })
    // above the size read in pieces (32 MiB), so that contents past 256 MiB, whose hex text
    // would be longer than a string can be, take the same path (checked by hand with 260 MiB)
    const big = makeObject('blob', randomBytes(40 * 1024 * 1024))
    const small = makeObject('blob', Buffer.from('small\n'))
    expect(await store.writeObjects(repo.repoId, [big, small])).toBe(2)
    const read = await store.readObjects(repo.repoId, [big.oid, small.oid])
    expect(read.get(big.oid)!.content.equals(big.content)).toBe(true)
    expect(read.get(small.oid)!.content.toString()).toBe('small\n')
    const inTx = await store.transaction((tx) => tx.readObjects(repo.repoId, [big.oid]))
    expect(inTx.get(big.oid)!.content.equals(big.content)).toBe(true)
  })

  it('reads objects within a byte budget, in the order asked, and names the rest', async () => {
    const { repo } = await store.createRepo({ name: 'within' })
    const blobs = [3000, 5000, 2000, 9000, 100].map((n, i) =>
      makeObject('blob', Buffer.alloc(n, 97 + i)),
    )
    await store.writeObjects(repo.repoId, blobs)
    const oids = blobs.map((b) => b.oid)
    const missing = 'f'.repeat(40)
    const first = await store.readObjectsWithin(repo.repoId, [missing, ...oids], 10_000)
    expect([...first.objects.keys()]).toEqual(oids.slice(0, 3))
    expect(first.objects.get(oids[1])!.content.equals(blobs[1].content)).toBe(true)
    expect(first.unread.sort()).toEqual(oids.slice(3).sort())
    // the first object found always comes, however large
    const alone = await store.readObjectsWithin(repo.repoId, [oids[3], oids[4]], 10)
    expect([...alone.objects.keys()]).toEqual([oids[3]])
    expect(alone.unread).toEqual([oids[4]])
    const inTx = await store.transaction((tx) => tx.readObjectsWithin(repo.repoId, oids, 1 << 20))
    expect(inTx.objects.size).toBe(5)
    expect(inTx.unread).toEqual([])
  })

  it('reads a large batch within a budget (inflated off the main thread), deltas included', async () => {
    const { repo } = await store.createRepo({ name: 'within-large' })
    // random contents do not compress: together past the size inflated on the worker (256 KB)
    const whole = Array.from({ length: 8 }, (_, i) =>
      makeObject('blob', Buffer.concat([randomBytes(40_000), Buffer.from(`blob ${i}\n`)])),
    )
    const deltaOf = (base: GitObject, content: Buffer): GitObject => ({
      ...makeObject('blob', content),
      packed: { data: deflateSync(createDelta(base.content, content)!), base: base.oid, depth: 1 },
    })
    // one delta on a base in the same read, one on a base left out of it (read as a chain)
    const near = deltaOf(whole[0], Buffer.concat([whole[0].content, Buffer.from('more\n')]))
    const far = deltaOf(whole[7], Buffer.concat([Buffer.from('first\n'), whole[7].content]))
    await store.writeObjects(repo.repoId, [...whole, near, far])
    const asked = [...whole.slice(0, 7), near, far]
    const budget = 9 * 41_000
    const read = await store.readObjectsWithin(
      repo.repoId,
      asked.map((o) => o.oid),
      budget,
    )
    expect([...read.objects.keys()]).toEqual(asked.map((o) => o.oid))
    for (const o of asked) {
      expect(read.objects.get(o.oid)!.content.equals(o.content)).toBe(true)
      expect(read.objects.get(o.oid)!.type).toBe('blob')
    }
    expect(read.unread).toEqual([])
    // the query a transaction runs gives the same answer, and a smaller budget names the rest
    const inTx = await store.transaction((tx) =>
      tx.readObjectsWithin(
        repo.repoId,
        asked.map((o) => o.oid),
        budget,
      ),
    )
    for (const o of asked) expect(inTx.objects.get(o.oid)!.content.equals(o.content)).toBe(true)
    const part = await store.readObjectsWithin(
      repo.repoId,
      asked.map((o) => o.oid),
      7 * 41_000,
    )
    expect([...part.objects.keys()]).toEqual(asked.slice(0, 7).map((o) => o.oid))
    expect(part.unread).toEqual([near.oid, far.oid])
  })

  it('reads deltas with their chains in one query, giving only the objects asked for', async () => {
    const { repo } = await store.createRepo({ name: 'chains' })
    const base = makeObject('blob', Buffer.from('line\n'.repeat(500)))
    const deltaOf = (from: GitObject, content: Buffer, depth: number): GitObject => ({
      ...makeObject('blob', content),
      packed: { data: deflateSync(createDelta(from.content, content)!), base: from.oid, depth },
    })
    const one = deltaOf(base, Buffer.concat([base.content, Buffer.from('one\n')]), 1)
    const two = deltaOf(one, Buffer.concat([one.content, Buffer.from('two\n')]), 2)
    const other = makeObject('blob', Buffer.from('other\n'))
    await store.writeObjects(repo.repoId, [base, one, two, other])
    const asked = [two.oid, other.oid]
    const read = await store.readObjects(repo.repoId, asked, { chains: true })
    // the bases read along (one, base) are not in the answer
    expect([...read.keys()].sort()).toEqual([...asked].sort())
    expect(read.get(two.oid)!.content.equals(two.content)).toBe(true)
    expect(read.get(other.oid)!.content.equals(other.content)).toBe(true)
    const plain = await store.readObjects(repo.repoId, asked)
    expect([...plain.keys()].sort()).toEqual([...asked].sort())
  })

  it('stores a large content two transactions write at once, the later one waiting', async () => {
    const { repo } = await store.createRepo({ name: 'race' })
    const big = makeObject('blob', randomBytes(3 * 1024 * 1024))
    let commitFirst = () => {}
    const held = new Promise<void>((resolve) => (commitFirst = resolve))
    let written = false
    const first = store.transaction(async (tx) => {
      await tx.writeObjects(repo.repoId, [big])
      written = true
      await held
    })
    await expect.poll(() => written).toBe(true)
    const second = store.transaction((tx) => tx.writeObjects(repo.repoId, [big]))
    // the second one waits for the first one's commit
    await expect
      .poll(async () => {
        const { rows } = await stored.db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
        return rows[0].n as number
      })
      .toBe(1)
    commitFirst()
    await first
    expect(await second).toBe(1)
    const read = await store.readObjects(repo.repoId, [big.oid])
    expect(read.get(big.oid)!.content.equals(big.content)).toBe(true)
    expect(await store.countObjects(repo.repoId)).toBe(1)
  })
})
