import { describe, expect, it } from 'vitest'
import { ListingCache, listingBytes, type TreeFile } from '../src/domain/grep/listing-cache.ts'

const listing = (n: number, dir: string): TreeFile[] =>
  Array.from({ length: n }, (_, i) => {
    const path = `${dir}/file-${String(i).padStart(5, '0')}.ts`
    return { path, key: path, oid: i.toString(16).padStart(40, '0'), pendingVersion: null, size: 0 }
  })

describe('ListingCache', () => {
  it('keeps listings within its bytes, the least recently used out first', () => {
    const a = listing(1000, 'a')
    const each = listingBytes(a)
    const cache = new ListingCache({ maxBytes: Math.floor(each * 2.5) })
    cache.set('a', a)
    cache.set('b', listing(1000, 'b'))
    expect(cache.get('a')).toBe(a)
    cache.set('c', listing(1000, 'c'))
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes)
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBe(a)
    expect(cache.get('c')).toHaveLength(1000)
  })

  it('does not keep a listing larger than its budget, and returns it still', () => {
    const cache = new ListingCache({ maxBytes: 1000 })
    const big = listing(100, 'x')
    expect(cache.set('x', big)).toBe(big)
    expect(cache.get('x')).toBeUndefined()
    expect(cache.bytes).toBe(0)
  })

  it('estimates a file at more than its path and id', () => {
    expect(listingBytes(listing(10, 'dir'))).toBeGreaterThan(
      10 * (40 + 2 * 'dir/file-00000.ts'.length),
    )
  })
})
