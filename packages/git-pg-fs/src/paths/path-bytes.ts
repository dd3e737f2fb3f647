import { isUtf8 } from 'node:buffer'

/**
 * File names in git are bytes, not text: most are UTF-8, but any byte but NUL and `/` is legal.
 * Inside gitpg a name is a JS string that maps one-to-one onto its bytes: valid UTF-8 decodes as
 * usual, and each byte that is not part of a valid UTF-8 sequence becomes a lone surrogate
 * U+DC80–U+DCFF (Python's `surrogateescape`). Valid UTF-8 never decodes to a lone surrogate, so
 * `encodePath(decodePath(bytes))` gives the same bytes back for every byte string.
 */

const ESCAPE = 0xdc00
/** a lone low surrogate in the escape range: not preceded by a high surrogate */
const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/
/** any surrogate that is not half of a pair */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const ANY_SURROGATE = /[\uD800-\uDFFF]/

/** The length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]
  if (c < 0x80) return 1
  const cont = (k: number) => i + k < b.length && (b[i + k] & 0xc0) === 0x80
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0
    const d = b[i + 1]
    if (c === 0xe0 && d < 0xa0) return 0 // overlong
    if (c === 0xed && d > 0x9f) return 0 // a UTF-16 surrogate
    return 3
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0
    const d = b[i + 1]
    if (c === 0xf0 && d < 0x90) return 0 // overlong
    if (c === 0xf4 && d > 0x8f) return 0 // past U+10FFFF
    return 4
  }
  return 0
}

/**
 * A name's bytes as gitpg's string for it (see above).
 *
 * @example
 * decodePath(Buffer.from('caf\xe8.txt', 'latin1')) // 'caf\udce8.txt'
 */
export function decodePath(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  // most names are UTF-8: decode once, and check only when a replacement character came out
  const text = buf.toString('utf8')
  if (!text.includes('\uFFFD') || isUtf8(buf)) return text
  let out = ''
  let start = 0
  let i = 0
  while (i < buf.length) {
    const n = sequenceLength(buf, i)
    if (n > 0) {
      i += n
      continue
    }
    out += buf.toString('utf8', start, i) + String.fromCharCode(ESCAPE + buf[i])
    i += 1
    start = i
  }
  return out + buf.toString('utf8', start)
}

/**
 * The bytes of a name (the inverse of `decodePath`). A surrogate outside the escape range that is
 * not half of a pair cannot come from `decodePath`; it is written as U+FFFD, as Node does.
 *
 * @example
 * encodePath('caf\udce8.txt') // <Buffer 63 61 66 e8 2e 74 78 74>
 */
export function encodePath(path: string): Buffer {
  if (!ANY_SURROGATE.test(path)) return Buffer.from(path, 'utf8')
  const parts: Buffer[] = []
  let start = 0
  for (let i = 0; i < path.length; i++) {
    const u = path.charCodeAt(i)
    if (u >= 0xd800 && u <= 0xdbff && i + 1 < path.length) {
      const next = path.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++ // a pair: plain UTF-8
        continue
      }
    }
    if (u >= 0xdc80 && u <= 0xdcff) {
      parts.push(Buffer.from(path.slice(start, i), 'utf8'), Buffer.from([u - ESCAPE]))
      start = i + 1
    }
  }
  parts.push(Buffer.from(path.slice(start), 'utf8'))
  return Buffer.concat(parts)
}

/** True when the name's bytes are valid UTF-8 (it holds no escaped byte). */
export function isPlainUtf8(path: string): boolean {
  return !ESCAPED.test(path)
}

/** True when the string is well-formed UTF-16 apart from escaped bytes: what `decodePath` makes. */
export function isDecodedPath(path: string): boolean {
  return !LONE_SURROGATE.test(path.replace(/(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g, ''))
}

/** The name for display: each escaped byte (and any lone surrogate) shown as U+FFFD. */
export function displayPath(path: string): string {
  if (!ANY_SURROGATE.test(path)) return path
  return path.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD')
}

/** Byte order of two names (git's order), as `Buffer.compare` gives it. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(encodePath(a), encodePath(b))
}
