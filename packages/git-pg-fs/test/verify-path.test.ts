import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyPath } from '../src/fsck/verify-path.ts'

let dir = ''
let blob = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitpg-verify-path-'))
  execFileSync('git', ['init', '-q', dir])
  blob = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: 'x\n' })
    .toString()
    .trim()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let indexes = 0

/**
 * Whether git, with both protections on, lets `path` (its bytes as they are, given on stdin) into
 * a fresh index: `--index-info` skips a refused path with a warning, so the index is the judge.
 */
function gitAccepts(path: Buffer, mode: string): boolean {
  const env = { ...process.env, GIT_INDEX_FILE: join(dir, `index-${++indexes}`) }
  const protect = ['-c', 'core.protectNTFS=true', '-c', 'core.protectHFS=true']
  const line = Buffer.concat([Buffer.from(`${mode} ${blob}\t`), path, Buffer.from([0])])
  spawnSync('git', [...protect, 'update-index', '-z', '--index-info'], {
    cwd: dir,
    env,
    input: line,
  })
  const listed = spawnSync('git', ['ls-files', '-z'], { cwd: dir, env }).stdout
  return listed.equals(Buffer.concat([path, Buffer.from([0])]))
}

const bytes = (s: string) => Buffer.from(s)

const REFUSED: [string, Buffer][] = [
  ['.git /config', bytes('.git /config')],
  ['.git./config', bytes('.git./config')],
  ['.git . ./config', bytes('.git . ./config')],
  ['git~1/config', bytes('git~1/config')],
  ['GIT~1/config', bytes('GIT~1/config')],
  ['.git::$INDEX_ALLOCATION/config', bytes('.git::$INDEX_ALLOCATION/config')],
  ['a\\.git\\config', bytes('a\\.git\\config')],
  ['.g\\u200cit/config', bytes('.g\u200cit/config')],
  ['\\u200c.git/x', bytes('\u200c.git/x')],
  ['.git\\u200d/x', bytes('.git\u200d/x')],
  ['\\ufeff.git/x', bytes('\ufeff.git/x')],
  ['.GIT/config', bytes('.GIT/config')],
  ['sub/.git./x', bytes('sub/.git./x')],
  ['a/../b', bytes('a/../b')],
  ['./a', bytes('./a')],
  ['a//b', bytes('a//b')],
  ['a/', bytes('a/')],
]

const ACCEPTED: [string, Buffer][] = [
  ['.github/x', bytes('.github/x')],
  ['git~2', bytes('git~2')],
  ['git~1x/y', bytes('git~1x/y')],
  ['.gitignore', bytes('.gitignore')],
  ['.gitmodules', bytes('.gitmodules')],
  ['.gitx/y', bytes('.gitx/y')],
  ['x.git/y', bytes('x.git/y')],
  ['a..b', bytes('a..b')],
  ['..a/b..', bytes('..a/b..')],
  ['a\\b', bytes('a\\b')],
  ['é/ü.txt', bytes('é/ü.txt')],
  ['日本語.md', bytes('日本語.md')],
  ['a non-UTF-8 name', Buffer.from([0x63, 0x61, 0x66, 0xe9])],
  ['a malformed .git', Buffer.from([0x2e, 0x67, 0xe9, 0x69, 0x74])],
]

describe('verifyPath', () => {
  it.each(REFUSED)('refuses %s, as git does', (_, path) => {
    expect(verifyPath(path, 0o100644)).not.toBeNull()
    expect(gitAccepts(path, '100644')).toBe(false)
  })

  it.each(ACCEPTED)('accepts %s, as git does', (_, path) => {
    expect(verifyPath(path, 0o100644)).toBeNull()
    expect(gitAccepts(path, '100644')).toBe(true)
  })

  it.each([
    '.gitmodules',
    '.GITMODULES',
    'gitmod~1',
    'x/.gitmodules.',
    'x/.gitmodules ',
    '~1234567',
  ])('refuses a symbolic link named %s, as git does', (name) => {
    expect(verifyPath(bytes(name), 0o120000)).toMatch(/symbolic link/)
    expect(gitAccepts(bytes(name), '120000')).toBe(false)
  })

  it('refuses what Windows reads as . or .. or .git across backslashes (git fsck does too)', () => {
    for (const p of ['..\\..\\x', '.\\x', 'a\\..\\x', '\\.git\\x'])
      expect(verifyPath(bytes(p), 0o100644)).not.toBeNull()
  })
})
