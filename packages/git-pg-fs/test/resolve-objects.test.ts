import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { BaseCache } from '../src/store/postgres/base-cache.ts'
import { resolveRows, type StoredRow } from '../src/store/postgres/resolve-objects.ts'
import { createDelta } from '../src/pack/create-delta.ts'

const blobId = (content: Buffer) =>
  createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]))
    .digest()

describe('resolveRows', () => {
  it('applies a delta whose base the cache drops while the batch is inflated', async () => {
    const base = Buffer.from('line\n'.repeat(2000))
    const target = Buffer.concat([base, Buffer.from('one more line\n')])
    const delta = createDelta(base, target)!
    const row: StoredRow = {
      oid: blobId(target),
      type: 3,
      size: target.length,
      zlib: false,
      base: blobId(base),
      data: delta,
    }
    const cache = new BaseCache({ maxBytes: 128 * 1024 })
    cache.set(1, blobId(base).toString('hex'), base)
    const fetched: string[][] = []
    let dropped = false
    const out = await resolveRows({
      repoId: 1,
      rows: [row],
      cache,
      fetch: async (oids) => {
        fetched.push(oids)
        return []
      },
      // another request fills the cache while this batch waits for its inflation
      inflate: async (rows) => {
        for (let i = 0; i < 100; i++) cache.set(2, String(i).padStart(40, '0'), Buffer.alloc(4000))
        dropped = cache.get(1, blobId(base).toString('hex')) === undefined
        return rows.map((r) => r.data)
      },
    })
    expect(fetched).toEqual([])
    expect(dropped).toBe(true)
    expect(out.get(blobId(target).toString('hex'))?.content).toEqual(target)
  })
})
