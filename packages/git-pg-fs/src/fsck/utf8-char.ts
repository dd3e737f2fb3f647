/** One code point read from bytes: its value and where the next one starts, or null if malformed. */
export interface Utf8Char {
  code: number
  next: number
}

const cont = (b: number | undefined) => b !== undefined && (b & 0xc0) === 0x80

/**
 * Reads the UTF-8 sequence at `at` the way git's `pick_one_utf8_char` does: overlong forms,
 * surrogates, U+FFFE/U+FFFF and code points past U+10FFFF are malformed (null). The end of the
 * bytes reads as code point 0, like the NUL that ends a C string.
 */
export function readUtf8Char(bytes: Uint8Array, at: number): Utf8Char | null {
  if (at >= bytes.length) return { code: 0, next: at }
  const b0 = bytes[at]
  const b1 = bytes[at + 1]
  const b2 = bytes[at + 2]
  const b3 = bytes[at + 3]
  if (b0 < 0x80) return { code: b0, next: at + 1 }
  if ((b0 & 0xe0) === 0xc0) {
    if (!cont(b1) || (b0 & 0xfe) === 0xc0) return null
    return { code: ((b0 & 0x1f) << 6) | (b1 & 0x3f), next: at + 2 }
  }
  if ((b0 & 0xf0) === 0xe0) {
    if (!cont(b1) || !cont(b2)) return null
    if (b0 === 0xe0 && (b1 & 0xe0) === 0x80) return null
    if (b0 === 0xed && (b1 & 0xe0) === 0xa0) return null
    if (b0 === 0xef && b1 === 0xbf && (b2 & 0xfe) === 0xbe) return null
    return { code: ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f), next: at + 3 }
  }
  if ((b0 & 0xf8) === 0xf0) {
    if (!cont(b1) || !cont(b2) || !cont(b3)) return null
    if (b0 === 0xf0 && (b1 & 0xf0) === 0x80) return null
    if (b0 > 0xf4 || (b0 === 0xf4 && b1 > 0x8f)) return null
    const code = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f)
    return { code, next: at + 4 }
  }
  return null
}
