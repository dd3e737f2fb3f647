import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  comparePaths,
  decodePath,
  displayPath,
  encodePath,
  isDecodedPath,
  isPlainUtf8,
} from '../src/paths/path-bytes.ts'

const latin1 = (s: string) => Buffer.from(s, 'latin1')

describe('path-bytes', () => {
  it('decodes valid UTF-8 as text and each other byte as an escape', () => {
    expect(decodePath(Buffer.from('docs/é/💩.md'))).toBe('docs/é/💩.md')
    expect(decodePath(latin1('caf\xe8.txt'))).toBe('caf\udce8.txt')
    expect(decodePath(latin1('caf\xe9.txt'))).toBe('caf\udce9.txt')
    // a truncated sequence, an overlong, an encoded surrogate, past U+10FFFF
    expect(decodePath(latin1('a\xc3'))).toBe('a\udcc3')
    expect(decodePath(latin1('\xc0\xaf'))).toBe('\udcc0\udcaf')
    expect(decodePath(latin1('\xed\xa0\x80'))).toBe('\udced\udca0\udc80')
    expect(decodePath(latin1('\xf4\x90\x80\x80'))).toBe('\udcf4\udc90\udc80\udc80')
    expect(decodePath(latin1('\xe9t\xc3\xa9'))).toBe('\udce9té')
    // a name that really holds U+FFFD is UTF-8, and stays as it is
    expect(decodePath(Buffer.from('a\ufffd'))).toBe('a\ufffd')
    expect(decodePath(Buffer.concat([Buffer.from('\ufffd'), latin1('\xff')]))).toBe('\ufffd\udcff')
  })

  it('agrees with Python surrogateescape on random bytes', () => {
    const samples = Array.from({ length: 200 }, (_, i) =>
      i % 2 ? randomBytes(1 + (i % 13)) : Buffer.concat([Buffer.from('é💩'), randomBytes(i % 7)]),
    )
    const script = `import sys, json
for line in sys.stdin:
    s = bytes.fromhex(line.strip()).decode('utf-8', 'surrogateescape')
    print(json.dumps([ord(c) for c in s]))`
    const out = execFileSync('python3', ['-c', script], {
      input: samples.map((b) => b.toString('hex')).join('\n'),
      encoding: 'utf8',
    })
    const expected = out.trim().split('\n')
    samples.forEach((b, i) => {
      const mine = [...decodePath(b)].map((c) => c.codePointAt(0))
      expect(JSON.stringify(mine)).toBe(expected[i].replace(/ /g, ''))
    })
  })

  it('gives back the same bytes for every byte string', () => {
    for (let i = 0; i < 2000; i++) {
      const b = randomBytes(1 + (i % 40))
      const s = decodePath(b)
      expect(encodePath(s).equals(b)).toBe(true)
      expect(isDecodedPath(s)).toBe(true)
      expect(isPlainUtf8(s)).toBe(s === b.toString('utf8'))
    }
  })

  it('keeps two names that differ in one invalid byte apart', () => {
    const a = decodePath(latin1('caf\xe8.txt'))
    const b = decodePath(latin1('caf\xe9.txt'))
    expect(a).not.toBe(b)
    expect(encodePath(a).toString('latin1')).toBe('caf\xe8.txt')
    expect(isPlainUtf8(a)).toBe(false)
    expect(isPlainUtf8('💩')).toBe(true)
    expect(displayPath(a)).toBe('caf\ufffd.txt')
    expect(displayPath('é💩')).toBe('é💩')
  })

  it('orders names by their bytes, as git does', () => {
    // UTF-16 order puts U+FF5E before U+1F4A9 (a surrogate pair); UTF-8 puts it after
    const names = ['\u{1F4A9}', '\uFF5E', decodePath(latin1('\xff')), 'z']
    const sorted = [...names].sort(comparePaths)
    expect(sorted.map((n) => encodePath(n).toString('hex'))).toEqual(
      names.map((n) => encodePath(n).toString('hex')).sort(),
    )
    expect(sorted).toEqual(['z', '\uFF5E', '\u{1F4A9}', decodePath(latin1('\xff'))])
  })

  it('rejects strings no bytes decode to', () => {
    expect(isDecodedPath('a\ud800b')).toBe(false)
    expect(isDecodedPath('a\udc00')).toBe(false)
    expect(encodePath('a\ud800').toString('hex')).toBe('61efbfbd')
  })
})
