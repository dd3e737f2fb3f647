import { randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { BadPackError } from '../src/errors.ts'
import { EntryInflater } from '../src/pack/entry-inflater.ts'

const MiB = 1 << 20

/** Feeds `bytes` to a new inflater in pieces of `piece` bytes; returns it and the bytes taken. */
function feed(bytes: Buffer, size: number, piece: number) {
  const inflater = EntryInflater.open(size, 0)!
  let at = 0
  try {
    while (!inflater.done && at < bytes.length)
      at += inflater.write(bytes, at, Math.min(bytes.length, at + piece))
  } finally {
    inflater.close()
  }
  return { inflater, at }
}

describe('EntryInflater', () => {
  const content = randomBytes(3 * MiB)
  const stream = deflateSync(content)
  const next = Buffer.from('next entry')
  const bytes = Buffer.concat([stream, next])

  it.each([1, 4096, 100_000, 1 << 30])(
    'inflates a stream fed in pieces of %i bytes and stops at its end',
    (piece) => {
      const { inflater, at } = feed(bytes, content.length, piece)
      expect(inflater.done).toBe(true)
      expect(at).toBe(stream.length)
      expect(inflater.data.equals(content)).toBe(true)
    },
  )

  it('is not done while the stream is cut short', () => {
    const { inflater } = feed(stream.subarray(0, stream.length - 100), content.length, 65536)
    expect(inflater.done).toBe(false)
  })

  it('refuses a stream larger or smaller than declared, and corrupt data', () => {
    expect(() => feed(bytes, content.length - 1, 65536)).toThrow(BadPackError)
    expect(() => feed(bytes, content.length + 1, 65536)).toThrow(BadPackError)
    const bad = Buffer.from(bytes)
    bad[1000] ^= 0xff
    expect(() => feed(bad, content.length, 65536)).toThrow(BadPackError)
  })
})
