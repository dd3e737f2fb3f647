/**
 * What a path inside a gitdir stands for, decided by its shape alone (no storage look-up).
 * Paths are relative to the gitdir root, `/`-separated, without leading or trailing slashes.
 */
export type GitdirPath =
  | { kind: 'root' }
  /** `objects` */
  | { kind: 'objects-dir' }
  /** `objects/ab`: the fan-out directory of loose objects whose id starts with `prefix` */
  | { kind: 'object-fanout'; prefix: string }
  /** `objects/ab/cdef…`: a loose object */
  | { kind: 'object'; oid: string }
  /** `objects/pack` */
  | { kind: 'pack-dir' }
  /** `objects/pack/<name>`: a pack, its index, a `.keep`, ... */
  | { kind: 'pack-file'; name: string; ext: string }
  /** `refs`, `refs/heads`, `refs/tags`: always directories */
  | { kind: 'refs-dir'; name: string }
  /** `refs/…` below the fixed directories: a ref or a directory of refs */
  | { kind: 'ref'; name: string }
  | { kind: 'head' }
  | { kind: 'packed-refs' }
  /** any other gitdir file or directory: `config`, `shallow`, `logs/…`, `objects/info/…` */
  | { kind: 'file'; path: string }

/** Directories every gitdir has, whether or not anything is stored below them. */
export const GITDIR_SKELETON: readonly string[] = [
  '',
  'objects',
  'objects/info',
  'objects/pack',
  'refs',
  'refs/heads',
  'refs/tags',
]

const REFS_DIRS = new Set(['refs', 'refs/heads', 'refs/tags'])

/**
 * Classifies a path relative to the gitdir root.
 *
 * @example
 * classifyGitdirPath('objects/e6/9de29bb2d1d6434b8b29ae775ad8c2e48c5391')
 * // → { kind: 'object', oid: 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391' }
 */
export function classifyGitdirPath(path: string): GitdirPath {
  if (path === '') return { kind: 'root' }
  if (path === 'HEAD') return { kind: 'head' }
  if (path === 'packed-refs') return { kind: 'packed-refs' }
  if (path === 'objects') return { kind: 'objects-dir' }
  if (path === 'objects/pack') return { kind: 'pack-dir' }
  if (REFS_DIRS.has(path)) return { kind: 'refs-dir', name: path }
  if (path.startsWith('refs/')) return { kind: 'ref', name: path }
  const parts = path.split('/')
  if (parts[0] === 'objects') {
    if (parts.length === 2 && /^[0-9a-f]{2}$/.test(parts[1])) {
      return { kind: 'object-fanout', prefix: parts[1] }
    }
    if (parts.length === 3 && /^[0-9a-f]{2}$/.test(parts[1]) && /^[0-9a-f]{38}$/.test(parts[2])) {
      return { kind: 'object', oid: parts[1] + parts[2] }
    }
    if (parts.length === 3 && parts[1] === 'pack') {
      const dot = parts[2].lastIndexOf('.')
      return { kind: 'pack-file', name: parts[2], ext: dot === -1 ? '' : parts[2].slice(dot + 1) }
    }
  }
  return { kind: 'file', path }
}

/**
 * Normalises an fs path to an absolute one: collapses `//`, `.` and `..`, drops the trailing
 * slash; a relative path counts from `/`, and `..` above the root stays at the root, as in POSIX.
 */
export function normalizePath(path: string): string {
  const out: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') out.pop()
    else out.push(part)
  }
  return `/${out.join('/')}`
}

/**
 * The path of `path` relative to `gitdir` (both normalised), or null when it lies outside.
 *
 * @example
 * relativeToGitdir('/repo.git', '/repo.git/refs/heads/main') // → 'refs/heads/main'
 * relativeToGitdir('/repo.git', '/repo.git') // → ''
 * relativeToGitdir('/repo.git', '/work/file.txt') // → null
 */
export function relativeToGitdir(gitdir: string, path: string): string | null {
  const dir = normalizePath(gitdir)
  const p = normalizePath(path)
  if (p === dir) return ''
  const prefix = dir === '/' ? '/' : `${dir}/`
  return p.startsWith(prefix) ? p.slice(prefix.length) : null
}
