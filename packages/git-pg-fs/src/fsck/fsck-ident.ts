import type { FsckMessageId } from './fsck-message.ts'

/**
 * The latest date gitpg accepts: git accepts any date up to 2^63 - 1 seconds, but a JavaScript
 * number is exact only up to 2^53 - 1, so later dates are refused as overflowing too.
 */
export const MAX_DATE = Number.MAX_SAFE_INTEGER

export type IdentProblem = [FsckMessageId, string]

const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39
const PREFIX = 'invalid author/committer line - '

/**
 * git's `fsck_ident` on one `author`/`committer`/`tagger` value, from `at` to its newline `end`:
 * `Name <email> <seconds> <+hhmm>`. Returns the problem, or null.
 */
export function fsckIdent(buf: Buffer, at: number, end: number): IdentProblem | null {
  const bad = (id: FsckMessageId, what: string): IdentProblem => [id, PREFIX + what]
  let p = at
  if (buf[p] === 0x3c) return bad('missingNameBeforeEmail', 'missing space before email')
  for (;;) {
    if (p >= end) return bad('missingEmail', 'missing email')
    if (buf[p] === 0x3e) return bad('badName', 'bad name')
    if (buf[p] === 0x3c) break
    p++
  }
  if (buf[p - 1] !== 0x20) return bad('missingSpaceBeforeEmail', 'missing space before email')
  p++
  for (;;) {
    if (p >= end || buf[p] === 0x3c) return bad('badEmail', 'bad email')
    if (buf[p] === 0x3e) break
    p++
  }
  p++
  if (buf[p] !== 0x20) return bad('missingSpaceBeforeDate', 'missing space before date')
  p++
  while (buf[p] === 0x20 || buf[p] === 0x09) p++
  if (!isDigit(buf[p])) return bad('badDate', 'bad date')
  if (buf[p] === 0x30 && buf[p + 1] !== 0x20) return bad('zeroPaddedDate', 'zero-padded date')
  const start = p
  while (p < end && isDigit(buf[p])) p++
  const digits = buf.toString('latin1', start, p)
  if (digits.length > 16 || Number(digits) > MAX_DATE)
    return bad('badDateOverflow', 'date causes integer overflow')
  if (buf[p] !== 0x20) return bad('badDate', 'bad date')
  p++
  if (
    (buf[p] !== 0x2b && buf[p] !== 0x2d) ||
    !isDigit(buf[p + 1]) ||
    !isDigit(buf[p + 2]) ||
    !isDigit(buf[p + 3]) ||
    !isDigit(buf[p + 4]) ||
    p + 5 !== end
  )
    return bad('badTimezone', 'bad time zone')
  return null
}
