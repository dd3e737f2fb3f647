import { encodePath } from '@gitpg/git-pg-fs'
import { compileWildmatch } from './wildmatch.ts'

/** A git pathspec (without `:(magic)`), as `git grep -- <pathspec>` reads it. */
export interface Pathspec {
  /** whether a file's path (its bytes) is one the pathspec names */
  matches(path: Uint8Array): boolean
  /** whether a directory (its path's bytes, no trailing `/`) may hold files the pathspec names */
  mayHold(dir: Uint8Array): boolean
}

const SLASH = 0x2f

/** git's glob-special bytes: `*`, `?`, `[` and `\`. */
const isGlobSpecial = (c: number) => c === 0x2a || c === 0x3f || c === 0x5b || c === 0x5c

const EVERYTHING: Pathspec = { matches: () => true, mayHold: () => true }

/**
 * Compiles a pathspec as git's `match_pathspec_item` applies it: a path matches when the
 * pathspec, compared as plain bytes, is the path or a leading directory of it (`src` names
 * `src/a.ts`, not `srcx`), or when the pathspec holds glob characters and matches the whole path
 * as a glob whose `*` also matches `/` (`*.ts` names `src/a.ts`). No pathspec: every path.
 *
 * @example
 * compilePathspec('src').matches(Buffer.from('src/a.ts')) // true
 * compilePathspec('*.ts').matches(Buffer.from('lib/b.ts')) // true
 */
export function compilePathspec(spec: string | undefined): Pathspec {
  if (spec === undefined || spec === '' || spec === '.') return EVERYTHING
  const bytes = encodePath(spec)
  const firstSpecial = bytes.findIndex(isGlobSpecial)
  const literal = firstSpecial < 0 ? bytes : bytes.subarray(0, firstSpecial)
  const glob = firstSpecial < 0 ? null : compileWildmatch(bytes)
  const asPrefix = (path: Uint8Array) =>
    path.length >= bytes.length &&
    Buffer.compare(path.subarray(0, bytes.length), bytes) === 0 &&
    (path.length === bytes.length ||
      bytes[bytes.length - 1] === SLASH ||
      path[bytes.length] === SLASH)
  return {
    matches: (path) => asPrefix(path) || (glob !== null && glob.test(path)),
    mayHold(dir) {
      const withSlash = Buffer.concat([dir, Buffer.of(SLASH)])
      const n = Math.min(withSlash.length, literal.length)
      return Buffer.compare(withSlash.subarray(0, n), literal.subarray(0, n)) === 0
    },
  }
}
