const MAX_INDENT = 200
const MAX_BLANKS = 20

const START_OF_FILE_PENALTY = 1
const END_OF_FILE_PENALTY = 21
const TOTAL_BLANK_WEIGHT = -30
const POST_BLANK_WEIGHT = 6
const RELATIVE_INDENT_PENALTY = -4
const RELATIVE_INDENT_WITH_BLANK_PENALTY = 10
const RELATIVE_OUTDENT_PENALTY = 24
const RELATIVE_OUTDENT_WITH_BLANK_PENALTY = 17
const RELATIVE_DEDENT_PENALTY = 23
const RELATIVE_DEDENT_WITH_BLANK_PENALTY = 17
const INDENT_WEIGHT = 60

/** A split's badness, as git's indent heuristic scores it: smaller is better. */
export interface SplitScore {
  effectiveIndent: number
  penalty: number
}

/**
 * A line's indentation (tab stops of 8), clamped at 200; -1 for a line of only white space.
 * git's `isspace` is space, tab, `\n` and `\r`.
 */
export function indentOf(line: string): number {
  let ret = 0
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i)
    if (c === 0x20) ret += 1
    else if (c === 0x09) ret += 8 - (ret % 8)
    else if (c !== 0x0a && c !== 0x0d) return ret
    if (ret >= MAX_INDENT) return MAX_INDENT
  }
  return -1
}

/** Indentation per line, computed when first asked for. */
export class Indents {
  readonly #lines: readonly string[]
  readonly #cache: Int16Array

  constructor(lines: readonly string[]) {
    this.#lines = lines
    this.#cache = new Int16Array(lines.length).fill(-2)
  }

  get length(): number {
    return this.#lines.length
  }

  at(i: number): number {
    let v = this.#cache[i]
    if (v === -2) v = this.#cache[i] = indentOf(this.#lines[i])
    return v
  }
}

/** Adds the score of a split above line `split` (git's `measure_split` and `score_add_split`). */
export function addSplitScore(indents: Indents, split: number, s: SplitScore): void {
  const n = indents.length
  const endOfFile = split >= n
  const indentHere = endOfFile ? -1 : indents.at(split)
  let preBlank = 0
  let preIndent = -1
  for (let i = split - 1; i >= 0; i--) {
    preIndent = indents.at(i)
    if (preIndent !== -1) break
    preBlank++
    if (preBlank === MAX_BLANKS) {
      preIndent = 0
      break
    }
  }
  let postBlankAfter = 0
  let postIndent = -1
  for (let i = split + 1; i < n; i++) {
    postIndent = indents.at(i)
    if (postIndent !== -1) break
    postBlankAfter++
    if (postBlankAfter === MAX_BLANKS) {
      postIndent = 0
      break
    }
  }

  if (preIndent === -1 && preBlank === 0) s.penalty += START_OF_FILE_PENALTY
  if (endOfFile) s.penalty += END_OF_FILE_PENALTY
  const postBlank = indentHere === -1 ? 1 + postBlankAfter : 0
  const totalBlank = preBlank + postBlank
  s.penalty += TOTAL_BLANK_WEIGHT * totalBlank
  s.penalty += POST_BLANK_WEIGHT * postBlank
  const indent = indentHere !== -1 ? indentHere : postIndent
  const anyBlanks = totalBlank !== 0
  s.effectiveIndent += indent
  if (indent === -1 || preIndent === -1) return
  if (indent > preIndent) {
    s.penalty += anyBlanks ? RELATIVE_INDENT_WITH_BLANK_PENALTY : RELATIVE_INDENT_PENALTY
  } else if (indent < preIndent) {
    if (postIndent !== -1 && postIndent > indent)
      s.penalty += anyBlanks ? RELATIVE_OUTDENT_WITH_BLANK_PENALTY : RELATIVE_OUTDENT_PENALTY
    else s.penalty += anyBlanks ? RELATIVE_DEDENT_WITH_BLANK_PENALTY : RELATIVE_DEDENT_PENALTY
  }
}

/** Negative when `a` is the better split, as git's `score_cmp`. */
export function compareScores(a: SplitScore, b: SplitScore): number {
  const cmp =
    Number(a.effectiveIndent > b.effectiveIndent) - Number(a.effectiveIndent < b.effectiveIndent)
  return INDENT_WEIGHT * cmp + (a.penalty - b.penalty)
}
