import { InvalidPathError, InvalidRefNameError } from '@gitpg/git-pg-fs'
import { describe, expect, it } from 'vitest'
import { normalizePath } from '../src/domain/paths.ts'
import { checkBranchName, checkRef } from '../src/domain/ref-names.ts'

describe('normalizePath', () => {
  it.each([
    ['a.txt', 'a.txt'],
    ['docs//intro.md', 'docs/intro.md'],
    ['./a/./b/', 'a/b'],
    ['dir with space/ü.txt', 'dir with space/ü.txt'],
    ['.gitignore', '.gitignore'],
    ['a/.github/x', 'a/.github/x'],
    ['..a/b..', '..a/b..'],
  ])('%j → %j', (raw, expected) => {
    expect(normalizePath(raw)).toBe(expected)
  })

  it.each([
    ['/etc/passwd', /absolute/],
    ['a/../b', /\.\./],
    ['..', /\.\./],
    ['.git', /\.git/],
    ['x/.Git/config', /\.git/],
    ['a\0b', /control/],
    ['a\nb', /control/],
    ['a\x7fb', /control/],
    ['', /empty/],
    ['./', /empty/],
    [`${'x'.repeat(4097)}`, /4096/],
    [`${'é'.repeat(2049)}`, /4096/],
  ])('rejects %j', (raw, reason) => {
    let error: unknown
    try {
      normalizePath(raw)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(InvalidPathError)
    expect((error as InvalidPathError).code).toBe('INVALID_PATH')
    expect((error as Error).message).toMatch(reason)
  })

  it('allows the empty prefix when asked', () => {
    expect(normalizePath('', { allowEmpty: true })).toBe('')
    expect(normalizePath('./', { allowEmpty: true })).toBe('')
  })
})

describe('ref names', () => {
  it('accepts branches, tags, HEAD and commit ids', () => {
    for (const ref of ['main', 'feature/x', 'v1.0', 'HEAD', 'a'.repeat(40), 'refs/heads/main']) {
      expect(checkRef(ref)).toBe(ref)
    }
  })

  it.each([
    'main~1',
    'HEAD^',
    'a..b',
    'a:b',
    'a b',
    'x.lock',
    '.hidden',
    'a//b',
    '@',
    'a@{1}',
    'a\\b',
    'end.',
    '',
  ])('rejects %j', (ref) => {
    expect(() => checkRef(ref)).toThrow(InvalidRefNameError)
  })

  it('branch names also refuse HEAD, a leading dash and refs/', () => {
    for (const name of ['HEAD', '-x', 'refs/heads/x'])
      expect(() => checkBranchName(name)).toThrow(InvalidRefNameError)
    expect(checkBranchName('feature/ok')).toBe('feature/ok')
  })
})
