import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InvalidPathError, InvalidRefNameError } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_PATH_DEPTH, normalizePath } from '../src/domain/paths.ts'
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

  it('refuses a path deeper than the limit, and takes one at it', () => {
    expect(() => normalizePath(`${'d/'.repeat(MAX_PATH_DEPTH)}f`)).toThrow(/deeper than/)
    expect(() => normalizePath(`${'d/'.repeat(1500)}f`)).toThrow(InvalidPathError)
    const deepest = `${'d/'.repeat(MAX_PATH_DEPTH - 1)}f`
    expect(normalizePath(deepest)).toBe(deepest)
  })

  it('allows the empty prefix when asked', () => {
    expect(normalizePath('', { allowEmpty: true })).toBe('')
    expect(normalizePath('./', { allowEmpty: true })).toBe('')
  })
})

describe('normalizePath, judged by git with core.protectNTFS and core.protectHFS', () => {
  let dir = ''
  let blob = ''
  let indexes = 0
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gitpg-paths-'))
    execFileSync('git', ['init', '-q', dir])
    blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: 'x' })
      .toString()
      .trim()
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** Whether `git update-index` takes `path` into a fresh index (it skips refused paths). */
  function gitAccepts(path: string): boolean {
    const env = { ...process.env, GIT_INDEX_FILE: join(dir, `index-${++indexes}`) }
    const protect = ['-c', 'core.protectNTFS=true', '-c', 'core.protectHFS=true']
    const input = Buffer.from(`100644 ${blob}\t${path}\0`)
    spawnSync('git', [...protect, 'update-index', '-z', '--index-info'], { cwd: dir, env, input })
    return spawnSync('git', ['ls-files', '-z'], { cwd: dir, env }).stdout.toString() === `${path}\0`
  }

  it.each([
    '.git /config',
    '.git./config',
    '.git . ./config',
    'git~1/config',
    'sub/GIT~1/hooks/x',
    '.git::$INDEX_ALLOCATION/config',
    'a\\.git\\config',
    '.g\u200cit/config',
    '\u200c.git/x',
    '\ufeff.git/x',
    '.GIT/config',
  ])('refuses %j like git', (raw) => {
    expect(gitAccepts(raw)).toBe(false)
    expect(() => normalizePath(raw)).toThrow(InvalidPathError)
  })

  it.each([
    '.github/x',
    'git~2',
    'git~1x/y',
    '.gitignore',
    '.gitmodules',
    '.gitx/y',
    'x.git/y',
    'a..b',
    '..a/b..',
    'a\\b',
    'é/ü.txt',
    '日本語.md',
  ])('accepts %j like git', (raw) => {
    expect(gitAccepts(raw)).toBe(true)
    expect(normalizePath(raw)).toBe(raw)
  })

  it.each(['..\\..\\x', 'a\\..\\x', '.\\x', '\\.git\\x'])(
    'refuses %j, which Windows reads with \\ as a separator',
    (raw) => {
      expect(() => normalizePath(raw)).toThrow(InvalidPathError)
    },
  )
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
