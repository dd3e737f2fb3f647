import { readUtf8Char } from './utf8-char.ts'

/** Code points HFS+ drops from a file name, so `.g\u200cit` opens `.git` on a Mac. */
const HFS_IGNORABLE = new Set([
  0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x206a, 0x206b, 0x206c,
  0x206d, 0x206e, 0x206f, 0xfeff,
])

/**
 * Whether the path component at `at` names `.<needle>` on HFS+: ignorable code points skipped,
 * ASCII case folded, and the component ending at the end of the bytes or at `/`. Like git's
 * `is_hfs_dot_generic`; malformed UTF-8 never matches.
 */
export function isHfsDot(bytes: Uint8Array, needle: string, at = 0): boolean {
  let i = at
  // needle's characters, then one more: the end of the component
  for (let k = 0; k <= needle.length + 1; k++) {
    let code: number
    for (;;) {
      const c = readUtf8Char(bytes, i)
      if (!c) return false
      i = c.next
      code = c.code
      if (!HFS_IGNORABLE.has(code)) break
    }
    if (k === 0) {
      if (code !== 0x2e) return false
    } else if (k <= needle.length) {
      if (code > 127) return false
      const lower = code >= 0x41 && code <= 0x5a ? code + 0x20 : code
      if (lower !== needle.charCodeAt(k - 1)) return false
    } else return code === 0 || code === 0x2f
  }
  return false
}

export const isHfsDotgit = (bytes: Uint8Array, at = 0) => isHfsDot(bytes, 'git', at)
export const isHfsDotgitmodules = (bytes: Uint8Array, at = 0) => isHfsDot(bytes, 'gitmodules', at)
export const isHfsDotgitattributes = (bytes: Uint8Array, at = 0) =>
  isHfsDot(bytes, 'gitattributes', at)
export const isHfsDotgitignore = (bytes: Uint8Array, at = 0) => isHfsDot(bytes, 'gitignore', at)
export const isHfsDotmailmap = (bytes: Uint8Array, at = 0) => isHfsDot(bytes, 'mailmap', at)
