import { describe, expect, it } from 'vitest'
import { decodePath, GitPgError } from '@gitpg/git-pg-fs'
import { pathFromBytes, pathFromText, pathJson, pathListJson } from '../src/routes/path-json.ts'

const latin = decodePath(Buffer.from('caf\xe8.txt', 'latin1'))

describe('path-json', () => {
  it('adds pathBytes only to names that are not UTF-8', () => {
    expect(pathJson('café/💩.txt')).toEqual({ path: 'café/💩.txt' })
    expect(pathJson(latin)).toEqual({ path: 'caf\ufffd.txt', pathBytes: 'Y2Fm6C50eHQ=' })
  })

  it('lists paths with a parallel list of bytes when one needs it', () => {
    expect(pathListJson(['a', 'b'])).toEqual({ paths: ['a', 'b'] })
    expect(pathListJson(['a', latin])).toEqual({
      paths: ['a', 'caf\ufffd.txt'],
      bytes: [null, 'Y2Fm6C50eHQ='],
    })
  })

  it('reads a path from base64 bytes or from text', () => {
    expect(pathFromBytes('Y2Fm6C50eHQ=')).toBe(latin)
    expect(pathFromText('plain/é.md')).toBe('plain/é.md')
    // a JSON "\udce8" escape names the byte 0xE8; "\udcc3\udca9" the bytes of é
    expect(pathFromText('caf\udce8.txt')).toBe(latin)
    expect(pathFromText('caf\udcc3\udca9')).toBe('café')
    let err: unknown
    try {
      pathFromText('a\ud800')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(GitPgError)
    expect((err as GitPgError).code).toBe('INVALID_PATH')
  })
})
