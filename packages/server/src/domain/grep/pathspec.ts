import { encodePath } from '@gitpg/git-pg-fs'
import { compileWildmatch } from './wildmatch.ts'

/**
 * A git pathspec (without `:(magic)`), as `git grep -- <pathspec>` reads it. Paths are given as
 * byte strings: one character per byte of the path (`byteKey`), so that they compare in git's
 * order with `<` and cost one byte a character in memory.
 */
export interface Pathspec {
  /** whether a file's path is one the pathspec names */
  matches(path: string): boolean
  /** whether a directory (no trailing `/`) may hold files the pathspec names */
  mayHold(dir: string): boolean
  /** the bytes before the first glob character: `mayHold` depends on these only */
  literal: string
}

/** A path as a byte string: the path itself when it is ASCII (the same string, no copy). */
export function byteKey(path: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(path) ? path : encodePath(path).toString('latin1')
}

/** git's glob-special bytes: `*`, `?`, `[` and `\`. */
const isGlobSpecial = (c: number) => c === 0x2a || c === 0x3f || c === 0x5b || c === 0x5c

const EVERYTHING: Pathspec = { matches: () => true, mayHold: () => true, literal: '' }

/**
 * Compiles a pathspec as git's `match_pathspec_item` applies it: a path matches when the
 * pathspec, compared as plain bytes, is the path or a leading directory of it (`src` names
 * `src/a.ts`, not `srcx`), or when the pathspec holds glob characters and matches the whole path
 * as a glob whose `*` also matches `/` (`*.ts` names `src/a.ts`). No pathspec: every path.
 *
 * @example
 * compilePathspec('src').matches('src/a.ts') // true
 * compilePathspec('*.ts').matches('lib/b.ts') // true
 */
export function compilePathspec(spec: string | undefined): Pathspec {
  if (spec === undefined || spec === '' || spec === '.') return EVERYTHING
  const bytes = encodePath(spec)
  const firstSpecial = bytes.findIndex(isGlobSpecial)
  const whole = bytes.toString('latin1')
  const literal = firstSpecial < 0 ? whole : whole.slice(0, firstSpecial)
  const glob = firstSpecial < 0 ? null : compileWildmatch(bytes)
  const asPrefix = (path: string) =>
    path.startsWith(whole) &&
    (path.length === whole.length || whole.endsWith('/') || path[whole.length] === '/')
  return {
    literal,
    matches: (path) => asPrefix(path) || (glob !== null && glob.test(path)),
    mayHold(dir) {
      const withSlash = `${dir}/`
      return withSlash.startsWith(literal) || literal.startsWith(withSlash)
    },
  }
}
