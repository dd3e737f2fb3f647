import { RE2JS, RE2JSException } from 're2js'
import { ApiError } from '../../errors.ts'
import { requiredLiteral } from './required-literal.ts'

/** A matching line of a file: 1-based number and the byte range of its text (no newline). */
export interface MatchedLine {
  line: number
  start: number
  end: number
}

/**
 * Finds the lines of a file's content that match, in order, starting at line `fromLine`; calls
 * `check` between steps of the regular expression engine (it throws to stop the search).
 */
export type LineMatcher = (
  content: Buffer,
  fromLine: number,
  check: () => void,
) => Iterable<MatchedLine>

/** Bytes of whole lines the engine tests at once before it looks at single lines. */
const BLOCK = 64 * 1024
/**
 * Largest compiled program accepted: the engine's time per byte is linear in the input but grows
 * with the program (measured: ~0.1 µs a byte up to ~200 instructions, 2–4 µs at 250–500, 85 µs
 * at 1,000, when its state cache no longer holds), and the time box is checked between blocks.
 */
export const MAX_PROGRAM_SIZE = 250
/** Lines tested between two checks of the time box. */
const CHECK_EVERY = 256

const NONE: readonly MatchedLine[] = []

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

/**
 * A compiled RE2 program tested line by line: only on the lines that hold the literal every
 * match needs, when there is one; else on the lines of blocks of the file it matches somewhere.
 */
function re2Matcher(source: string, ignoreCase: boolean, original: string): LineMatcher {
  let re: RE2JS
  try {
    re = RE2JS.compile(source, RE2JS.MULTILINE | (ignoreCase ? RE2JS.CASE_INSENSITIVE : 0))
  } catch (err) {
    if (err instanceof RE2JSException) throw new InvalidPatternError(original, err.message)
    throw err
  }
  if (re.programSize() > MAX_PROGRAM_SIZE)
    throw new InvalidPatternError(
      original,
      `too complex (${re.programSize()} instructions compiled, at most ${MAX_PROGRAM_SIZE}): use fewer or smaller repetitions`,
    )
  const literal = ignoreCase ? null : requiredLiteral(source)
  if (literal !== null) {
    // only the lines holding the literal every match contains are run through the engine
    const needle = Buffer.from(literal, 'utf8')
    return function* (content, fromLine, check) {
      const first = content.indexOf(needle)
      if (first < 0) return
      const next = (from: number) => (from === 0 ? first : content.indexOf(needle, from))
      let tested = 0
      for (const l of linesOfHits(content, fromLine, next)) {
        if (++tested % CHECK_EVERY === 0) check()
        if (re.test(content.subarray(l.start, l.end))) yield l
      }
    }
  }
  // \A and \z mean the start and end of the line tested alone, but of the block in the filter
  const filter = !/\\[Az]/.test(source)
  const matchesEmpty = re.test(Buffer.alloc(0))
  return function* (content, fromLine, check) {
    let line = 1
    let start = 0
    let lastHit = 0
    while (start < content.length) {
      check()
      // a block of whole lines, newlines included: it ends at the first newline past BLOCK bytes
      const nl = start + BLOCK >= content.length ? -1 : content.indexOf(NEWLINE, start + BLOCK)
      const end = nl < 0 ? content.length : nl + 1
      const block = content.subarray(start, end)
      let lines = 0
      if (filter && !re.test(block)) {
        // every line of a block but the file's last one ends with its newline
        for (let at = block.indexOf(NEWLINE); at >= 0; at = block.indexOf(NEWLINE, at + 1)) lines++
      } else {
        for (const l of allLines(block, 1)) {
          lines++
          if (line + l.line - 1 < fromLine) continue
          if (lines % CHECK_EVERY === 0) check()
          if (re.test(block.subarray(l.start, l.end))) {
            lastHit = line + l.line - 1
            yield { line: lastHit, start: start + l.start, end: start + l.end }
          }
        }
      }
      line += lines
      start = end
    }
    // git's look-ahead searches the rest of the file at once: a pattern that matches an empty
    // line finds the empty string after the last newline, which git reports as one line more
    // (`git grep -E '^$'` on "a\n\nb\n" answers lines 2 and 4), unless the last line matched
    const lines = line - 1
    if (matchesEmpty && lines > 0 && content[content.length - 1] === NEWLINE)
      if (lastHit !== lines && lines + 1 >= fromLine)
        yield { line: lines + 1, start: content.length, end: content.length }
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
  return (content, fromLine) => {
    const first = content.indexOf(needle)
    if (first < 0) return NONE
    return linesOfHits(content, fromLine, (from) =>
      from === 0 ? first : content.indexOf(needle, from),
    )
  }
}
