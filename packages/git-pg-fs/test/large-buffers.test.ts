import { describe, expect, it } from 'vitest'
import { LargeBuffers } from '../src/pack/large-buffers.ts'

describe('LargeBuffers', () => {
  it('gives memory given back to the next taker that fits it', () => {
    const buffers = new LargeBuffers()
    const first = buffers.take(1000)
    expect(first.length).toBe(1000)
    buffers.give(first)
    const again = buffers.take(800)
    expect(again.length).toBe(800)
    expect(again.buffer).toBe(first.buffer)
    // the spare was taken: the next one is new
    expect(buffers.take(800).buffer).not.toBe(first.buffer)
  })

  it('makes new memory for a size the spare does not fit, and keeps the largest spare', () => {
    const buffers = new LargeBuffers()
    const small = buffers.take(100)
    const large = buffers.take(1000)
    buffers.give(large)
    buffers.give(small)
    expect(buffers.take(2000).buffer).not.toBe(large.buffer)
    // more than twice too large: not lent for so little
    expect(buffers.take(400).buffer).not.toBe(large.buffer)
    expect(buffers.take(600).buffer).toBe(large.buffer)
  })

  it('ignores memory it did not make', () => {
    const buffers = new LargeBuffers()
    const other = Buffer.allocUnsafeSlow(1000)
    buffers.give(other)
    expect(buffers.take(900).buffer).not.toBe(other.buffer)
    const pooled = Buffer.allocUnsafe(100)
    buffers.give(pooled)
    expect(buffers.take(100).buffer).not.toBe(pooled.buffer)
  })
})
