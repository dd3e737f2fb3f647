import { describe, expect, it } from 'vitest'
import {
  encodePath,
  encodeSegment,
  fromBase64,
  GitpgError,
  pathBytesOf,
  pathsJson,
  toBase64,
} from '../src/index.ts'

const utf8 = (text: string) => new TextEncoder().encode(text)

describe('encodePath', () => {
  it('encodes each segment and keeps the slashes between them', () => {
    expect(encodePath('docs/a b#1?x=%2F&.md')).toBe('docs/a%20b%231%3Fx%3D%252F%26.md')
    expect(encodePath('dé/ü.md')).toBe('d%C3%A9/%C3%BC.md')
  })

  it('encodes bytes one by one, so names that are not UTF-8 reach the server intact', () => {
    expect(encodePath(new Uint8Array([0x64, 0x2f, 0x63, 0x61, 0x66, 0xe8, 0x20]))).toBe(
      'd/caf%E8%20',
    )
    expect(encodePath(utf8('dé/ü.md'))).toBe(encodePath('dé/ü.md'))
  })

  it('refuses "." and ".." segments, which a URL parser would resolve', () => {
    for (const path of ['../x', 'a/./b', 'a/..', utf8('a/../b')]) {
      expect(() => encodePath(path)).toThrow(GitpgError)
      expect(() => encodePath(path)).toThrow(expect.objectContaining({ code: 'INVALID_PATH' }))
    }
    expect(encodePath('a/.../.b')).toBe('a/.../.b')
  })

  it('encodeSegment encodes "/" too', () => {
    expect(encodeSegment('a/b c')).toBe('a%2Fb%20c')
    expect(() => encodeSegment('..')).toThrow(GitpgError)
  })
})

describe('paths in JSON', () => {
  it('base64 round-trips every byte without Buffer', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(toBase64(all)).toBe(Buffer.from(all).toString('base64'))
    expect(fromBase64(toBase64(all))).toEqual(all)
    const large = new Uint8Array(100_000).map((_, i) => i % 256)
    expect(toBase64(large)).toBe(Buffer.from(large).toString('base64'))
  })

  it('sends text paths as text, and all as bytes (in order) when one is bytes', () => {
    expect(pathsJson(['a', 'b'])).toEqual({ paths: ['a', 'b'] })
    expect(pathsJson(['a', new Uint8Array([0xe8])])).toEqual({ pathBytes: ['YQ==', '6A=='] })
  })

  it('pathBytesOf prefers pathBytes', () => {
    expect(pathBytesOf({ path: 'caf\ufffd', pathBytes: '6A==' })).toEqual(new Uint8Array([0xe8]))
    expect(pathBytesOf({ path: 'é' })).toEqual(utf8('é'))
  })
})
