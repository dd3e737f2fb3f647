import { isHfsDotgit, isHfsDotgitmodules } from './hfs-names.ts'
import { isNtfsDotgit, isNtfsDotgitmodules } from './ntfs-names.ts'

const SLASH = 0x2f
const DOT = 0x2e
const BACKSLASH = 0x5c

const S_IFMT = 0o170000
export const isSymlinkMode = (mode: number) => (mode & S_IFMT) === 0o120000
export const isDirMode = (mode: number) => (mode & S_IFMT) === 0o040000

const lower = (b: number | undefined) =>
  b !== undefined && b >= 0x41 && b <= 0x5a ? b + 0x20 : (b ?? 0)
const ends = (b: number | undefined) => b === undefined || b === SLASH

/** Why a component starting `.` (at `at`, the byte after the dot) is refused, or null. */
function dotfileProblem(path: Uint8Array, at: number, mode: number): string | null {
  const c = path[at]
  if (ends(c)) return `contains '.'`
  if (c === DOT && ends(path[at + 1])) return `contains '..'`
  if (lower(c) === 0x67 && lower(path[at + 1]) === 0x69 && lower(path[at + 2]) === 0x74) {
    if (ends(path[at + 3])) return `contains '.git'`
    if (isSymlinkMode(mode)) {
      let k = 0
      const rest = 'modules'
      while (k < rest.length && lower(path[at + 3 + k]) === rest.charCodeAt(k)) k++
      if (k === rest.length && ends(path[at + 3 + k])) return `.gitmodules is a symbolic link`
    }
  }
  return null
}

/** Checks run where a component begins (`at`): git's protectHFS and protectNTFS rules. */
function componentProblem(path: Uint8Array, at: number, mode: number): string | null {
  if (isHfsDotgit(path, at)) return `contains '.git' as HFS+ reads it`
  if (isNtfsDotgit(path, at)) return `contains '.git' as NTFS reads it`
  if (isSymlinkMode(mode) && (isHfsDotgitmodules(path, at) || isNtfsDotgitmodules(path, at)))
    return `.gitmodules is a symbolic link`
  return null
}

/**
 * Why git would refuse to put `path` (raw bytes) in its index with `core.protectHFS` and
 * `core.protectNTFS` on, or null when it is fine. Like git's `verify_path`: no empty, `.` or
 * `..` component, no `.git` in any spelling HFS+ or NTFS resolves to it (`.GIT`, `.git.`,
 * `git~1`, `.git::$INDEX_ALLOCATION`, `.g\u200cit`, a `\`-separated `.git`), and no symbolic link
 * named `.gitmodules`. Backslash also separates components under NTFS, so `..\x` is refused too
 * (git refuses it on Windows, where `\` is a directory separator).
 *
 * @example
 * verifyPath(Buffer.from('.git /config'), 0o100644) // "contains '.git' as NTFS reads it"
 */
export function verifyPath(path: Uint8Array, mode: number): string | null {
  let at = 0
  for (;;) {
    const problem = componentProblem(path, at, mode)
    if (problem) return problem
    const c = path[at++]
    if (c === undefined) return isDirMode(mode) && at > 1 ? null : 'has an empty component'
    if (c === SLASH) return 'has an empty component'
    if (c === DOT) {
      const dot = dotfileProblem(path, at, mode)
      if (dot) return dot
    }
    if (c === BACKSLASH) {
      const back = backslashProblem(path, at - 1, mode)
      if (back) return back
    }
    for (;;) {
      const d = path[at++]
      if (d === undefined) return backslashDotsProblem(path)
      if (d === SLASH) break
      if (d === BACKSLASH) {
        const back = backslashProblem(path, at - 1, mode)
        if (back) return back
      }
    }
  }
}

/** NTFS reads `\` as a separator: the part after it must pass the component checks too. */
function backslashProblem(path: Uint8Array, at: number, mode: number): string | null {
  if (isNtfsDotgit(path, at + 1)) return `contains '.git' as NTFS reads it`
  if (isSymlinkMode(mode) && isNtfsDotgitmodules(path, at + 1))
    return `.gitmodules is a symbolic link`
  return null
}

/**
 * `.` or `..` between separators when `\` counts as one, as on Windows: `..\..\x` climbs out
 * of the work tree there (git for Windows refuses any backslash in a path).
 */
export function backslashDotsProblem(path: Uint8Array): string | null {
  if (!path.includes(BACKSLASH)) return null
  let start = 0
  for (let i = 0; i <= path.length; i++) {
    const c = path[i]
    if (c !== undefined && c !== SLASH && c !== BACKSLASH) continue
    const len = i - start
    if (len === 1 && path[start] === DOT) return `contains '.' (with \\ as a separator)`
    if (len === 2 && path[start] === DOT && path[start + 1] === DOT)
      return `contains '..' (with \\ as a separator)`
    start = i + 1
  }
  return null
}
