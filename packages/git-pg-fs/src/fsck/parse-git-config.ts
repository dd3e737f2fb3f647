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

const isSpace = (c: string | undefined) =>
  c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f'
const isAlpha = (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c)
const isKeyChar = (c: string | undefined) => c !== undefined && /^[A-Za-z0-9-]$/.test(c)
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', b: '\b', '\\': '\\', '"': '"' }

/**
 * Reads git config text the way git's `config.c` does (sections, `[section "sub"]` with
 * `\`-escapes, the old `[section.sub]`, comments, quoted values, escapes and line continuations),
 * yielding each entry in order and throwing `ConfigParseError` where git would stop with an
 * error, so entries before the error are still seen.
 *
 * @example
 * [...parseGitConfig('[submodule "a"]\n\turl = ../a\n')] // [{ section: 'submodule', ... }]
 */
export function* parseGitConfig(text: string): Generator<ConfigEntry> {
  let i = text.startsWith('\ufeff') ? 1 : 0
  let section = ''
  let subsection: string | null = null
  const fail = (why: string): never => {
    throw new ConfigParseError(`bad config line ${text.slice(0, i).split('\n').length}: ${why}`)
  }
  const skipComment = () => {
    while (i < text.length && text[i] !== '\n') i++
  }
  while (i < text.length) {
    const c = text[i]
    if (c === '\n' || isSpace(c)) {
      i++
      continue
    }
    if (c === '#' || c === ';') {
      skipComment()
      continue
    }
    if (c === '[') {
      i++
      let name = ''
      while (i < text.length && /[A-Za-z0-9.-]/.test(text[i])) name += text[i++].toLowerCase()
      if (isSpace(text[i])) {
        while (isSpace(text[i])) i++
        if (text[i] !== '"') fail('bad section header')
        i++
        let sub = ''
        for (;;) {
          const d = text[i++]
          if (d === undefined || d === '\n') fail('unterminated subsection')
          if (d === '"') break
          if (d === '\\') {
            const e = text[i++]
            if (e === undefined || e === '\n') fail('unterminated subsection')
            sub += e
          } else sub += d
        }
        if (text[i++] !== ']') fail('bad section header')
        if (name === '' || name.includes('.')) fail('bad section name')
        section = name
        subsection = sub
      } else {
        if (text[i++] !== ']' || name === '') fail('bad section header')
        const dot = name.indexOf('.')
        section = dot < 0 ? name : name.slice(0, dot)
        subsection = dot < 0 ? null : name.slice(dot + 1)
      }
      continue
    }
    if (!isAlpha(c)) fail('bad key')
    let key = ''
    while (isKeyChar(text[i])) key += text[i++].toLowerCase()
    while (isSpace(text[i])) i++
    if (text[i] === undefined || text[i] === '\n') {
      yield { section, subsection, key, value: null }
      continue
    }
    if (text[i] === '#' || text[i] === ';') {
      skipComment()
      yield { section, subsection, key, value: null }
      continue
    }
    if (text[i] !== '=') fail('bad key')
    i++
    yield { section, subsection, key, value: readValue() }
  }

  function readValue(): string {
    let value = ''
    let quoted = false
    let pendingSpace = ''
    while (isSpace(text[i])) i++
    for (;;) {
      const c = text[i++]
      if (c === undefined || c === '\n') {
        if (quoted) fail('unterminated quote')
        return value
      }
      if (!quoted && (c === '#' || c === ';')) {
        skipComment()
        return value
      }
      if (!quoted && isSpace(c)) {
        pendingSpace += c
        continue
      }
      value += pendingSpace
      pendingSpace = ''
      if (c === '\\') {
        const e = text[i++]
        if (e === '\n') continue
        if (e === undefined || !(e in ESCAPES)) fail('bad escape')
        value += ESCAPES[e!]
      } else if (c === '"') quoted = !quoted
      else value += c
    }
  }
}
