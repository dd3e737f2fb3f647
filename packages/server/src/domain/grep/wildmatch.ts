/**
 * git's `wildmatch` without `WM_PATHNAME`, on bytes: what a pathspec glob means to `git grep`.
 * `*` matches any bytes, `/` included; `?` any one byte; `[...]` one byte of a set (`[!...]` or
 * `[^...]` negated, ranges `a-z`, classes `[:alpha:]`); `\x` the byte `x`. Runs in O(pattern ×
 * name) steps whatever the pattern: a star only ever backtracks to the last star seen.
 */

type Token =
  | { kind: 'byte'; byte: number }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'set'; negated: boolean; bytes: Uint8Array }

const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => isAlpha(c) || isDigit(c),
  alpha: (c) => isAlpha(c),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => isDigit(c),
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
}

function isAlpha(c: number) {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

function isDigit(c: number) {
  return c >= 0x30 && c <= 0x39
}

/** A bracket expression from `start` (just past `[`); null when it is not closed (then `[` is literal). */
function parseSet(p: Uint8Array, start: number): { token: Token; end: number } | null {
  const member = new Uint8Array(256)
  let i = start
  let negated = false
  if (p[i] === 0x21 || p[i] === 0x5e) {
    negated = true
    i++
  }
  let first = true
  let prev = -1
  while (i < p.length) {
    let c = p[i]
    if (c === 0x5d && !first) {
      return { token: { kind: 'set', negated, bytes: member }, end: i + 1 }
    }
    first = false
    if (c === 0x5b && p[i + 1] === 0x3a) {
      const close = Buffer.from(p.buffer, p.byteOffset, p.length).indexOf(':]', i + 2)
      const name = close < 0 ? '' : Buffer.from(p.subarray(i + 2, close)).toString('latin1')
      const test = CLASSES[name]
      if (!test) return null
      for (let b = 0; b < 256; b++) if (test(b)) member[b] = 1
      i = close + 2
      prev = -1
      continue
    }
    if (c === 0x5c && i + 1 < p.length) c = p[++i]
    if (c === 0x2d && prev >= 0 && i + 1 < p.length && p[i + 1] !== 0x5d) {
      let hi = p[++i]
      if (hi === 0x5c && i + 1 < p.length) hi = p[++i]
      for (let b = prev; b <= hi; b++) member[b] = 1
      prev = -1
      i++
      continue
    }
    member[c] = 1
    prev = c
    i++
  }
  return null
}

function tokenize(p: Uint8Array): Token[] {
  const tokens: Token[] = []
  for (let i = 0; i < p.length;) {
    const c = p[i]
    if (c === 0x2a) {
      while (p[i] === 0x2a) i++
      tokens.push({ kind: 'star' })
    } else if (c === 0x3f) {
      tokens.push({ kind: 'any' })
      i++
    } else if (c === 0x5b) {
      const set = parseSet(p, i + 1)
      if (set) {
        tokens.push(set.token)
        i = set.end
      } else {
        tokens.push({ kind: 'byte', byte: c })
        i++
      }
    } else if (c === 0x5c && i + 1 < p.length) {
      tokens.push({ kind: 'byte', byte: p[i + 1] })
      i += 2
    } else {
      tokens.push({ kind: 'byte', byte: c })
      i++
    }
  }
  return tokens
}

function matchesOne(t: Token, c: number): boolean {
  if (t.kind === 'any') return true
  if (t.kind === 'byte') return t.byte === c
  if (t.kind === 'set') return (t.bytes[c] === 1) !== t.negated
  return false
}

/**
 * A compiled glob: `test(name)` tells whether the whole name matches; the name is a byte string
 * (one character per byte, as Latin-1 decodes bytes).
 *
 * @example
 * compileWildmatch(Buffer.from('*.ts')).test('src/a.ts') // true
 */
export function compileWildmatch(pattern: Uint8Array): { test(name: string): boolean } {
  const tokens = tokenize(pattern)
  return {
    test(name) {
      let t = 0
      let n = 0
      let starT = -1
      let starN = 0
      while (n < name.length) {
        if (t < tokens.length && tokens[t].kind === 'star') {
          starT = t++
          starN = n
        } else if (t < tokens.length && matchesOne(tokens[t], name.charCodeAt(n))) {
          t++
          n++
        } else if (starT >= 0) {
          t = starT + 1
          n = ++starN
        } else return false
      }
      while (t < tokens.length && tokens[t].kind === 'star') t++
      return t === tokens.length
    },
  }
}
