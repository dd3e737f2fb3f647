import type { FsckMessageId } from './fsck-message.ts'

/**
 * A cursor over the header lines of a commit or tag, after git's `verify_headers` made sure
 * they end in a newline and hold no NUL.
 */
export class HeaderReader {
  #buf: Buffer
  at = 0

  constructor(buf: Buffer) {
    this.#buf = buf
  }

  /** When `key ` starts the current line: the value's bounds, and the cursor moved past it. */
  take(key: string): { start: number; end: number } | null {
    const buf = this.#buf
    if (this.at >= buf.length) return null
    const prefix = `${key} `
    if (buf.toString('latin1', this.at, this.at + prefix.length) !== prefix) return null
    const start = this.at + prefix.length
    const nl = buf.indexOf(0x0a, start)
    const end = nl < 0 ? buf.length : nl
    this.at = nl < 0 ? buf.length : nl + 1
    return { start, end }
  }

  /** Whether the value is 40 hex digits (either case), read from the bytes without a string. */
  isHexOid(range: { start: number; end: number }): boolean {
    return isHexOidAt(this.#buf, range.start, range.end)
  }

  text(range: { start: number; end: number }): string {
    return this.#buf.toString('latin1', range.start, range.end)
  }

  get atEnd(): boolean {
    return this.at >= this.#buf.length
  }

  get atBody(): boolean {
    return this.#buf[this.at] === 0x0a
  }
}

/** git's `verify_headers`: a NUL before the blank line, or headers that do not end in `\n`. */
export function headerProblem(buf: Buffer): [FsckMessageId, string] | null {
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0) return ['nulInHeader', `unterminated header: NUL at offset ${i}`]
    if (buf[i] === 0x0a && buf[i + 1] === 0x0a) return null
  }
  if (buf.length > 0 && buf[buf.length - 1] === 0x0a) return null
  return ['unterminatedHeader', 'unterminated header']
}

/**
 * Whether `buf[start, end)` is 40 hex digits of either case, as git's `parse_oid_hex` takes them.
 *
 * @example
 * isHexOidAt(Buffer.from(`tree ${oid}`), 5, 45) // true
 */
export function isHexOidAt(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start !== 40) return false
  for (let i = start; i < end; i++) {
    const c = buf[i]
    if (c >= 0x30 && c <= 0x39) continue
    const l = c | 0x20
    if (l < 0x61 || l > 0x66) return false
  }
  return true
}
