import { describe, expect, it } from 'vitest'
import { GitPgError } from '../src/errors.ts'
import { FLUSH, pktLine } from '../src/protocol/pkt-line.ts'
import { PktReader } from '../src/protocol/pkt-reader.ts'

async function* pieces(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

describe('PktReader', () => {
  it.each([1, 3, 7, 1000])(
    'reads packets, then the raw rest, from %i-byte pieces',
    async (size) => {
      const tail = Buffer.from('PACK and the rest')
      const body = Buffer.concat([pktLine('one\n'), pktLine('two\n'), FLUSH, tail])
      const reader = new PktReader(pieces(body, size))
      const texts: string[] = []
      for (let p = await reader.next(); p !== 'flush'; p = await reader.next())
        texts.push((p as Buffer).toString())
      expect(texts).toEqual(['one\n', 'two\n'])
      const rest: Buffer[] = []
      for await (const c of reader.rest()) rest.push(Buffer.from(c))
      expect(Buffer.concat(rest).equals(tail)).toBe(true)
    },
  )

  it('refuses a malformed or cut length with PROTOCOL_ERROR', async () => {
    for (const bad of ['zzzz', '0003', '00ffab']) {
      const reader = new PktReader(pieces(Buffer.from(bad), 2))
      const error = await reader.next().then(
        () => null,
        (err: unknown) => err,
      )
      expect(error).toBeInstanceOf(GitPgError)
      expect((error as GitPgError).code).toBe('PROTOCOL_ERROR')
    }
    expect(await new PktReader(pieces(Buffer.alloc(0), 1)).next()).toBeNull()
  })
})
