import { InvalidPathError } from '@gitpg/git-pg-fs'

/** git's own limit on a path (PATH_MAX on the platforms it supports). */
export const MAX_PATH_BYTES = 4096

/**
 * Normalises a repository-relative path (`a//b/./c` → `a/b/c`, trailing `/` dropped) and throws
 * `InvalidPathError` when git would refuse it or it could escape the repository: absolute, `..`,
 * a `.git` component, NUL or control characters, empty, or longer than 4096 bytes.
 *
 * @example
 * normalizePath('docs//intro.md') // 'docs/intro.md'
 */
export function normalizePath(raw: string, { allowEmpty = false } = {}): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new InvalidPathError(raw, 'contains a control character')
  if (raw.startsWith('/')) throw new InvalidPathError(raw, 'is absolute')
  if (Buffer.byteLength(raw) > MAX_PATH_BYTES)
    throw new InvalidPathError(raw.slice(0, 64), `longer than ${MAX_PATH_BYTES} bytes`)
  const parts: string[] = []
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') throw new InvalidPathError(raw, 'contains ".."')
    if (part.toLowerCase() === '.git') throw new InvalidPathError(raw, 'contains ".git"')
    parts.push(part)
  }
  if (parts.length === 0 && !allowEmpty) throw new InvalidPathError(raw, 'is empty')
  return parts.join('/')
}
