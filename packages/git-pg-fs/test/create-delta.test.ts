import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { BadPackError } from '../src/errors.ts'
import { createDelta } from '../src/pack/create-delta.ts'
import { applyDelta } from '../src/pack/apply-delta.ts'

/** Deterministic pseudo-random bytes. */
function bytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n)
  let a = seed >>> 0
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0
    out[i] = a >>> 24
  }
  return out
}

describe('createDelta', () => {
  const cases: [string, Buffer, Buffer][] = [
    ['one changed byte', bytes(5000, 1), Buffer.from(bytes(5000, 1)).fill(7, 2500, 2501)],
    [
      'three edited hunks',
      bytes(20000, 2),
      Buffer.concat([
        bytes(20000, 2).subarray(0, 3000),
        Buffer.from('new hunk one\n'),
        bytes(20000, 2).subarray(3100, 9000),
        bytes(20000, 2).subarray(9500, 15000),
        Buffer.from('hunk three'),
        bytes(20000, 2).subarray(15000),
      ]),
    ],
    ['appended', bytes(3000, 3), Buffer.concat([bytes(3000, 3), Buffer.from('tail')])],
    ['truncated', bytes(3000, 4), bytes(3000, 4).subarray(0, 2000)],
    ['large copy', bytes(20_000_000, 5), Buffer.concat([Buffer.from('x'), bytes(20_000_000, 5)])],
    [
      'moved blocks',
      bytes(8000, 6),
      Buffer.concat([bytes(8000, 6).subarray(4000), bytes(8000, 6).subarray(0, 4000)]),
    ],
  ]
  for (const [name, base, target] of cases) {
    it(`encodes a delta git's format decodes: ${name}`, () => {
      const delta = createDelta(base, target)
      expect(delta).not.toBeNull()
      expect(delta!.length).toBeLessThan(target.length / 10)
      expect(applyDelta(delta!, base).equals(target)).toBe(true)
    })
  }

  it('declines when the target shares nothing with the base', () => {
    expect(createDelta(randomBytes(4000), randomBytes(4000))).toBeNull()
  })

  it('is rejected against the wrong base', () => {
    const delta = createDelta(bytes(5000, 1), bytes(5000, 1).subarray(10))!
    expect(() => applyDelta(delta, bytes(4000, 1))).toThrow(BadPackError)
  })
})
