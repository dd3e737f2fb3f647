/** One `section.subsection.key = value` of a git config file (`value` null for a bare key). */
export interface ConfigEntry {
  /** lower case; empty for a key before any section */
  section: string
  /** as written for `[section "sub"]`, lower case for the old `[section.sub]`, null if none */
  subsection: string | null
  /** lower case */
  key: string
  value: string | null
}

/** The text is not valid git config; git stops reading at this point. */
export class ConfigParseError extends Error {}

const NL = 0x0a
const QUOTE = 0x22
const BACKSLASH = 0x5c
const isSpace = (c: number | undefined) =>
  c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0b || c === 0x0c
const isAlpha = (c: number | undefined) =>
  c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39
const isKeyChar = (c: number | undefined) => isAlpha(c) || isDigit(c) || c === 0x2d
const isSectionChar = (c: number | undefined) => isKeyChar(c) || c === 0x2e
const isComment = (c: number | undefined) => c === 0x23 || c === 0x3b
const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c)
/** `\n`, `\t`, `\b`, `\\` and `\"` in a value */
const ESCAPES = new Map([
  [0x6e, 0x0a],
  [0x74, 0x09],
  [0x62, 0x08],
  [BACKSLASH, BACKSLASH],
  [QUOTE, QUOTE],
])

/**
 * Reads git config the way git's `config.c` does (sections, `[section "sub"]` with `\`-escapes,
 * the old `[section.sub]`, comments, quoted values, escapes and line continuations), yielding
 * each entry in order and throwing `ConfigParseError` where git would stop with an error, so
 * entries before the error are still seen. It walks the bytes once and copies runs of plain
 * bytes as slices, so a huge value costs one copy, not one string per character.
 *
 * @example
 * [...parseGitConfig(Buffer.from('[submodule "a"]\n\turl = ../a\n'))] // [{ section: ... }]
 */
export function* parseGitConfig(input: Buffer | string): Generator<ConfigEntry> {
  const text = typeof input === 'string' ? Buffer.from(input) : input
  const n = text.length
  let i = text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf ? 3 : 0
  let section = ''
  let subsection: string | null = null
  const fail = (why: string): never => {
    let line = 1
    for (let at = text.indexOf(NL); at !== -1 && at < i; at = text.indexOf(NL, at + 1)) line++
    throw new ConfigParseError(`bad config line ${line}: ${why}`)
  }
  const skipComment = () => {
    const nl = text.indexOf(NL, i)
    i = nl === -1 ? n : nl
  }
  const word = (ok: (c: number | undefined) => boolean) => {
    const start = i
    while (i < n && ok(text[i])) i++
    return Buffer.from(text.subarray(start, i).map(lower)).toString('latin1')
  }
  while (i < n) {
    const c = text[i]
    if (c === NL || isSpace(c)) {
      i++
      continue
    }
    if (isComment(c)) {
      skipComment()
      continue
    }
    if (c === 0x5b) {
      i++
      const name = word(isSectionChar)
      if (isSpace(text[i])) {
        while (isSpace(text[i])) i++
        if (text[i] !== QUOTE) fail('bad section header')
        i++
        const sub: Buffer[] = []
        let run = i
        for (;;) {
          const d = text[i++]
          if (d === undefined || d === NL) fail('unterminated subsection')
          if (d === QUOTE) break
          if (d === BACKSLASH) {
            sub.push(text.subarray(run, i - 1))
            const e = text[i++]
            if (e === undefined || e === NL) fail('unterminated subsection')
            run = i - 1
          }
        }
        sub.push(text.subarray(run, i - 1))
        if (text[i++] !== 0x5d) fail('bad section header')
        if (name === '' || name.includes('.')) fail('bad section name')
        section = name
        subsection = Buffer.concat(sub).toString('utf8')
      } else {
        if (text[i++] !== 0x5d || name === '') fail('bad section header')
        const dot = name.indexOf('.')
        section = dot < 0 ? name : name.slice(0, dot)
        subsection = dot < 0 ? null : name.slice(dot + 1)
      }
      continue
    }
    if (!isAlpha(c)) fail('bad key')
    const key = word(isKeyChar)
    while (isSpace(text[i])) i++
    if (i >= n || text[i] === NL) {
      yield { section, subsection, key, value: null }
      continue
    }
    if (isComment(text[i])) {
      skipComment()
      yield { section, subsection, key, value: null }
      continue
    }
    if (text[i] !== 0x3d) fail('bad key')
    i++
    yield { section, subsection, key, value: readValue() }
  }

  /** git's `parse_value`: spaces outside quotes fold into the value only between words. */
  function readValue(): string {
    const parts: Buffer[] = []
    let quoted = false
    /** start of the run of plain bytes not yet copied, and where its trailing spaces begin */
    let run = -1
    let spaces = -1
    const flush = (end: number) => {
      if (run !== -1 && end > run) parts.push(text.subarray(run, end))
      run = -1
    }
    while (isSpace(text[i])) i++
    for (;;) {
      const c = text[i]
      if (c === undefined || c === NL || (!quoted && isComment(c))) {
        if (quoted) fail('unterminated quote')
        flush(spaces === -1 ? i : spaces)
        if (c === NL) i++
        else if (c !== undefined) skipComment()
        return Buffer.concat(parts).toString('utf8')
      }
      if (!quoted && isSpace(c)) {
        if (spaces === -1) spaces = i
        if (run === -1) run = i
        i++
        continue
      }
      spaces = -1
      if (c === BACKSLASH || c === QUOTE) {
        flush(i)
        i++
        if (c === QUOTE) {
          quoted = !quoted
          continue
        }
        const e = text[i++]
        if (e === NL) continue
        const escaped = e === undefined ? undefined : ESCAPES.get(e)
        if (escaped === undefined) fail('bad escape')
        parts.push(Buffer.from([escaped!]))
        continue
      }
      if (run === -1) run = i
      i++
    }
  }
}
