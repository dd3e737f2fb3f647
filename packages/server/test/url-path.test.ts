import { describe, expect, it } from 'vitest'
import { encodePath } from '@gitpg/git-pg-fs'
import { pathFromQuery, pathFromUrl, percentDecode } from '../src/routes/url-path.ts'

const hex = (s: string) => encodePath(s).toString('hex')

describe('url-path', () => {
  it('percent-decodes to bytes, whatever they are', () => {
    expect(percentDecode('caf%E8.txt').toString('latin1')).toBe('caf\xe8.txt')
    expect(percentDecode('caf%C3%A9.txt').toString('utf8')).toBe('café.txt')
    expect(percentDecode('100%25%2Fx%zz%4').toString('latin1')).toBe('100%/x%zz%4')
    expect(percentDecode('a+b').toString()).toBe('a+b')
    expect(percentDecode('a+b', { plusIsSpace: true }).toString()).toBe('a b')
  })

  it('reads the path parameter from the raw URL after the route prefix', () => {
    expect(hex(pathFromUrl('http://h/files/p/caf%E8.txt', 2))).toBe('636166e82e747874')
    expect(pathFromUrl('http://h:3001/files/p/d%C3%BCr/a%25E8.txt?ref=main#x', 2)).toBe(
      'dür/a%E8.txt',
    )
    expect(hex(pathFromUrl('http://h/pending/p/ada/delete/%FF/x', 4))).toBe('ff2f78')
    expect(() => pathFromUrl('http://h/files', 2)).toThrow(/missing/)
  })

  it('reads a path query parameter from the raw URL', () => {
    const url = 'http://h/projects/p/log?ref=main&path=caf%E8.txt&path=other'
    expect(hex(pathFromQuery(url, 'path')!)).toBe('636166e82e747874')
    expect(pathFromQuery('http://h/x?prefix=a+b%2Fc', 'prefix')).toBe('a b/c')
    expect(pathFromQuery('http://h/x?ref=main', 'path')).toBeUndefined()
    expect(pathFromQuery('http://h/x', 'path')).toBeUndefined()
  })
})
