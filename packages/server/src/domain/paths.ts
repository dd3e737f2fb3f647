import { InvalidPathError, backslashDotsProblem, encodePath, verifyPath } from '@gitpg/git-pg-fs'

/** git's own limit on a path (PATH_MAX on the platforms it supports). */
export const MAX_PATH_BYTES = 4096

/**
 * The most directories a path may go down. Far beyond any real project, and low enough that
 * nothing that walks a path one level at a time runs out of stack on a hostile one.
 */
export const MAX_PATH_DEPTH = 256

const REGULAR_FILE = 0o100644

/**
 * Normalises a repository-relative path (`a//b/./c` → `a/b/c`, trailing `/` dropped) and throws
 * `InvalidPathError` when git would refuse it with `core.protectNTFS` and `core.protectHFS` on,
 * or it could escape the repository: absolute, `..` (also between backslashes, as Windows reads
 * them), `.git` in any spelling NTFS or HFS+ resolves to it (`.GIT`, `.git.`, `.git `, `git~1`,
 * `.git::$INDEX_ALLOCATION`, `a\.git`, `.g\u200cit`), NUL or control characters, empty, longer
 * than 4096 bytes or deeper than 256 levels.
 *
 * @example
 * normalizePath('docs//intro.md') // 'docs/intro.md'
 * normalizePath('.git /config') // throws INVALID_PATH
 */
export function normalizePath(raw: string, { allowEmpty = false } = {}): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new InvalidPathError(raw, 'contains a control character')
  if (raw.startsWith('/')) throw new InvalidPathError(raw, 'is absolute')
  // a name's real bytes: a byte that is not UTF-8 stands as one character (see path-bytes)
  if (encodePath(raw).length > MAX_PATH_BYTES)
    throw new InvalidPathError(raw.slice(0, 64), `longer than ${MAX_PATH_BYTES} bytes`)
  const parts: string[] = []
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') throw new InvalidPathError(raw, 'contains ".."')
    if (part.toLowerCase() === '.git') throw new InvalidPathError(raw, 'contains ".git"')
    parts.push(part)
  }
  if (parts.length === 0 && !allowEmpty) throw new InvalidPathError(raw, 'is empty')
  if (parts.length > MAX_PATH_DEPTH)
    throw new InvalidPathError(raw.slice(0, 64), `deeper than ${MAX_PATH_DEPTH} levels`)
  const path = parts.join('/')
  if (path === '') return path
  const bytes = encodePath(path)
  const problem = verifyPath(bytes, REGULAR_FILE) ?? backslashDotsProblem(bytes)
  if (problem)
    throw new InvalidPathError(raw, `${problem} (git refuses it with core.protectNTFS/protectHFS)`)
  return path
}
