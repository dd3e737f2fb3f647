import { encodePath } from '@gitpg/git-pg-fs'
import { ApiError } from '../../errors.ts'
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

const invalid = (spec: string, why: string) =>
  new ApiError('INVALID_PATH', `invalid pathspec ${JSON.stringify(spec)}: ${why}`, { path: spec })

/**
 * The pathspec as git reads it from the top of a repository: the magic `:/` and `:(top)`
 * dropped (the top is where every pathspec starts here), `.` segments and repeated slashes
 * removed and `..` resolved, a trailing slash kept. `INVALID_PATH` for a path outside the
 * repository (`/src`, `..`) and for other magic (`:!`, `:(exclude)`, `:(icase)`), which
 * would otherwise be matched as plain characters.
 *
 * @example
 * normalizePathspec('./src//a.ts') // 'src/a.ts'
 * normalizePathspec(':/lib/../src/') // 'src/'
 */
export function normalizePathspec(spec: string): string {
  let rest = spec
  if (rest.startsWith(':(')) {
    const close = rest.indexOf(')')
    const magic = close < 0 ? [] : rest.slice(2, close).split(',')
    if (close < 0 || magic.some((m) => m !== 'top'))
      throw invalid(spec, 'of the pathspec magic only :/ and :(top) are supported')
    rest = rest.slice(close + 1)
  } else if (rest.startsWith(':')) {
    let i = 1
    while (rest[i] === '/') i++
    if ('!^'.includes(rest[i] ?? '') && i < rest.length)
      throw invalid(spec, 'of the pathspec magic only :/ and :(top) are supported')
    rest = rest.slice(rest[i] === ':' ? i + 1 : i)
  } else if (rest.startsWith('/')) throw invalid(spec, 'it is outside the repository')
  const parts: string[] = []
  for (const part of rest.split('/')) {
    if (part === '' || part === '.') continue
    if (part !== '..') parts.push(part)
    else if (parts.pop() === undefined) throw invalid(spec, 'it is outside the repository')
  }
  const trailing = parts.length > 0 && /\/\.?$/.test(rest) ? '/' : ''
  return `${parts.join('/')}${trailing}`
}

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
export function compilePathspec(given: string | undefined): Pathspec {
  const spec = given === undefined ? '' : normalizePathspec(given)
  if (spec === '') return EVERYTHING
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
