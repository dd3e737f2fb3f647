const lower = (b: number | undefined) =>
  b !== undefined && b >= 0x41 && b <= 0x5a ? b + 0x20 : (b ?? 0)

/**
 * Whether the component at `at` is `.git` on NTFS: `.git` or its 8.3 short name `git~1`, any
 * case, followed only by spaces and dots (which NTFS trims) up to the end, `\`, `/` or `:` (an
 * alternate data stream such as `.git::$INDEX_ALLOCATION`). Like git's `is_ntfs_dotgit`.
 */
export function isNtfsDotgit(bytes: Uint8Array, at = 0): boolean {
  let i = at
  if (bytes[i] === 0x2e) {
    if (lower(bytes[i + 1]) !== 0x67 || lower(bytes[i + 2]) !== 0x69) return false
    if (lower(bytes[i + 3]) !== 0x74) return false
    i += 4
  } else if (lower(bytes[i]) === 0x67) {
    if (lower(bytes[i + 1]) !== 0x69 || lower(bytes[i + 2]) !== 0x74) return false
    if (bytes[i + 3] !== 0x7e || bytes[i + 4] !== 0x31) return false
    i += 5
  } else return false
  for (;;) {
    const c = bytes[i++]
    if (c === undefined || c === 0x5c || c === 0x2f || c === 0x3a) return true
    if (c !== 0x2e && c !== 0x20) return false
  }
}

function onlySpacesAndDots(bytes: Uint8Array, from: number): boolean {
  for (let i = from; ; i++) {
    const c = bytes[i]
    if (c === undefined || c === 0x3a) return true
    if (c !== 0x20 && c !== 0x2e) return false
  }
}

/**
 * Whether the component at `at` is `.<name>` on NTFS, also by its short names: the first six
 * letters and `~1`..`~4`, or the hashed fall-back (`shortPrefix`, e.g. `gi7eba~1` for
 * `.gitmodules`). Like git's `is_ntfs_dot_generic`; the component ends at the end of the bytes.
 */
export function isNtfsDot(bytes: Uint8Array, name: string, shortPrefix: string, at = 0): boolean {
  if (bytes[at + 0] === 0x2e) {
    let same = true
    for (let k = 0; k < name.length && same; k++)
      same = lower(bytes[at + k + 1]) === name.charCodeAt(k)
    if (same) return onlySpacesAndDots(bytes, at + name.length + 1)
  }
  let short = true
  for (let k = 0; k < 6 && short; k++) short = lower(bytes[at + k]) === name.charCodeAt(k)
  if (short && bytes[at + 6] === 0x7e && bytes[at + 7]! >= 0x31 && bytes[at + 7]! <= 0x34)
    return onlySpacesAndDots(bytes, at + 8)
  let sawTilde = false
  for (let k = 0; k < 8; k++) {
    const c = bytes[at + k]
    if (c === undefined) return false
    if (sawTilde) {
      if (c < 0x30 || c > 0x39) return false
    } else if (c === 0x7e) {
      k++
      if (bytes[at + k] === undefined || bytes[at + k]! < 0x31 || bytes[at + k]! > 0x39)
        return false
      sawTilde = true
    } else if (k >= 6) return false
    else if (c & 0x80) return false
    else if (lower(c) !== shortPrefix.charCodeAt(k)) return false
  }
  return onlySpacesAndDots(bytes, at + 8)
}

export const isNtfsDotgitmodules = (bytes: Uint8Array, at = 0) =>
  isNtfsDot(bytes, 'gitmodules', 'gi7eba', at)
export const isNtfsDotgitattributes = (bytes: Uint8Array, at = 0) =>
  isNtfsDot(bytes, 'gitattributes', 'gi7d29', at)
export const isNtfsDotgitignore = (bytes: Uint8Array, at = 0) =>
  isNtfsDot(bytes, 'gitignore', 'gi250a', at)
export const isNtfsDotmailmap = (bytes: Uint8Array, at = 0) =>
  isNtfsDot(bytes, 'mailmap', 'maba30', at)
