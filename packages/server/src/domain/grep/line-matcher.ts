import { RE2JS, RE2JSException } from 're2js'
import { ApiError } from '../../errors.ts'

/** A matching line of a file: 1-based number and the byte range of its text (no newline). */
export interface MatchedLine {
  line: number
  start: number
  end: number
}

/** Finds the lines of a file's content that match, in order, starting at line `fromLine`. */
export type LineMatcher = (content: Buffer, fromLine: number) => Generator<MatchedLine>

export interface PatternOptions {
  pattern: string
  /** a regular expression (RE2 syntax) instead of a fixed string */
  regex: boolean
  ignoreCase: boolean
}

const NEWLINE = 0x0a

/** A pattern that cannot be searched for: a regular expression that does not parse, a newline. */
export class InvalidPatternError extends ApiError {
  constructor(pattern: string, reason: string) {
    super('INVALID_PATTERN', `invalid pattern: ${reason}`, { pattern })
  }
}

/** Every line of `content` from `fromLine` on, with its range. */
function* allLines(content: Buffer, fromLine: number): Generator<MatchedLine> {
  let line = 1
  let start = 0
  while (start < content.length) {
    const nl = content.indexOf(NEWLINE, start)
    const end = nl < 0 ? content.length : nl
    if (line >= fromLine) yield { line, start, end }
    line++
    start = end + 1
  }
}

/**
 * Lines holding a hit of `next(from)` (the byte offset of the next hit at or after `from`, or
 * -1): counts newlines only up to each hit, and looks for the next hit past the line's end.
 */
function* linesOfHits(
  content: Buffer,
  fromLine: number,
  next: (from: number) => number,
): Generator<MatchedLine> {
  let line = 1
  let start = 0
  let hit = next(0)
  while (hit >= 0) {
    let nl = content.indexOf(NEWLINE, start)
    while (nl >= 0 && nl < hit) {
      line++
      start = nl + 1
      nl = content.indexOf(NEWLINE, start)
    }
    const end = nl < 0 ? content.length : nl
    if (line >= fromLine) yield { line, start, end }
    if (nl < 0) return
    line++
    start = nl + 1
    hit = next(start)
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
}

/** A compiled RE2 program tested line by line, after a test of the whole file as a filter. */
function re2Matcher(source: string, ignoreCase: boolean, original: string): LineMatcher {
  let re: RE2JS
  try {
    re = RE2JS.compile(source, RE2JS.MULTILINE | (ignoreCase ? RE2JS.CASE_INSENSITIVE : 0))
  } catch (err) {
    if (err instanceof RE2JSException) throw new InvalidPatternError(original, err.message)
    throw err
  }
  // \A and \z mean the start and end of the line tested alone, but of the file in the filter
  const filter = !/\\[Az]/.test(source)
  return function* (content, fromLine) {
    if (filter && !re.test(content)) return
    for (const l of allLines(content, fromLine))
      if (re.test(content.subarray(l.start, l.end))) yield l
  }
}

/**
 * The matcher for a pattern, as `git grep [-i] [-F|-E]` matches lines under a UTF-8 locale:
 * a fixed string compares bytes (ignoring ASCII case with `ignoreCase`; other letters by
 * Unicode simple case folding); a regular expression is RE2 syntax run by a linear-time engine
 * over the line's UTF-8 (each byte that is not UTF-8 is one character). Throws
 * `INVALID_PATTERN` for a regular expression that does not parse.
 *
 * @example
 * const match = compileMatcher({ pattern: 'TODO', regex: false, ignoreCase: false })
 * for (const m of match(Buffer.from('a\nTODO b\n'), 1)) m.line // 2
 */
export function compileMatcher({ pattern, regex, ignoreCase }: PatternOptions): LineMatcher {
  // git splits a pattern at newlines into several; one pattern here is one line
  if (pattern.includes('\n')) throw new InvalidPatternError(pattern, 'a pattern is one line')
  if (regex) return re2Matcher(pattern, ignoreCase, pattern)
  if (pattern === '') return allLines
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(pattern)
  if (ignoreCase && !ascii) return re2Matcher(RE2JS.quote(pattern), true, pattern)
  if (ignoreCase) {
    // on Latin-1 text (one character per byte) an ASCII pattern folds ASCII letters only
    const re = new RegExp(escapeRegExp(pattern), 'gi')
    return (content, fromLine) => {
      const text = content.toString('latin1')
      return linesOfHits(content, fromLine, (from) => {
        re.lastIndex = from
        return re.exec(text)?.index ?? -1
      })
    }
  }
  const needle = Buffer.from(pattern, 'utf8')
  return (content, fromLine) =>
    linesOfHits(content, fromLine, (from) => content.indexOf(needle, from))
}
