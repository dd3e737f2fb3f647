import { describe, expect, it } from 'vitest'
import { DEFAULT_CACHE_BYTES, ObjectCache } from '../src/repo/object-cache.ts'
import { DEFAULT_CACHE_BUDGET_BYTES, splitCacheBudget } from '../src/repo/cache-budget.ts'
import { BaseCache } from '../src/store/postgres/base-cache.ts'
import { SpanCache } from '../src/diff/renames/span-cache.ts'
import { SizeCache } from '../src/diff/renames/size-cache.ts'
import { spanCounts } from '../src/diff/renames/span-counts.ts'

const MiB = 1024 * 1024
const oid = (i: number) => i.toString(16).padStart(40, '0')
/** `lines` distinct lines: one fingerprint bucket each, give or take a collision */
const text = (lines: number, seed: number) =>
  Buffer.from(Array.from({ length: lines }, (_, i) => `line ${seed} ${i}\n`).join(''))

describe('splitCacheBudget', () => {
  it('gives the object cache two thirds of the budget', () => {
    expect(splitCacheBudget(DEFAULT_CACHE_BUDGET_BYTES).objects).toBe(DEFAULT_CACHE_BYTES)
    expect(DEFAULT_CACHE_BYTES).toBe(128 * MiB)
    expect(splitCacheBudget(192 * MiB)).toEqual({
      objects: 128 * MiB,
      bases: 16 * MiB,
      packs: 8 * MiB,
      fingerprints: 16 * MiB,
      listings: 16 * MiB,
      sizes: 8 * MiB,
    })
  })

  it('never hands out more than the budget, and nothing from 0', () => {
    for (const total of [0, 1, 1000, 64 * MiB + 7, 1024 * MiB]) {
      const parts = Object.values(splitCacheBudget(total))
      expect(parts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(total)
      if (total === 0) expect(parts.every((p) => p === 0)).toBe(true)
    }
  })
})

describe('BaseCache', () => {
  it('charges each entry its overhead and stays within its bytes', () => {
    const cache = new BaseCache({ maxBytes: 64 * 1024 })
    for (let i = 0; i < 1000; i++) cache.set(1, oid(i), Buffer.alloc(10))
    expect(cache.bytes).toBeLessThanOrEqual(64 * 1024)
    // 10 content bytes would fit 1000 times; with the overhead only the newest few hundred do
    expect(cache.get(1, oid(0))).toBeUndefined()
    expect(cache.get(1, oid(999))).toEqual(Buffer.alloc(10))
    expect(cache.get(2, oid(999))).toBeUndefined()
  })
})

describe('SpanCache', () => {
  it('stays within its bytes, the oldest out first', () => {
    const cache = new SpanCache(256 * 1024)
    for (let i = 0; i < 600; i++) cache.set(oid(i), spanCounts(text(100, i)))
    expect(cache.bytes).toBeLessThanOrEqual(256 * 1024)
    expect(cache.bytes).toBeGreaterThan(128 * 1024)
    expect(cache.get(oid(0))).toBeUndefined()
    expect(cache.get(oid(599))?.hashes.length).toBeGreaterThan(90)
  })

  it('drops the oldest when it is made smaller', () => {
    const cache = new SpanCache(1 * MiB)
    for (let i = 0; i < 50; i++) cache.set(oid(i), spanCounts(text(100, i)))
    const before = cache.bytes
    cache.resize(before / 2)
    expect(cache.bytes).toBeLessThanOrEqual(before / 2)
    expect(cache.get(oid(0))).toBeUndefined()
    expect(cache.get(oid(49))).toBeDefined()
  })
})

describe('SizeCache', () => {
  it('keeps at most its bytes of entries, and none with a budget of 0', () => {
    const cache = new SizeCache(128 * 100)
    for (let i = 0; i < 1000; i++) cache.set(oid(i), i)
    expect(cache.bytes).toBe(128 * 100)
    expect(cache.get(oid(899))).toBeUndefined()
    expect(cache.get(oid(900))).toBe(900)
    cache.resize(0)
    expect(cache.bytes).toBe(0)
    expect(cache.get(oid(999))).toBeUndefined()
  })
})

describe('ObjectCache', () => {
  it('stays within its bytes', () => {
    const cache = new ObjectCache({ maxBytes: 1 * MiB })
    for (let i = 0; i < 1000; i++)
      cache.set(1, { oid: oid(i), type: 'blob', content: Buffer.alloc(2000, i) })
    expect(cache.bytes).toBeLessThanOrEqual(1 * MiB)
    expect(cache.get(1, oid(999))?.content).toEqual(Buffer.alloc(2000, 999 & 255))
  })
})
