import { isHfsDotgit, isHfsDotgitattributes, isHfsDotgitignore } from './hfs-names.ts'
import { isHfsDotgitmodules, isHfsDotmailmap } from './hfs-names.ts'
import { isNtfsDotgit, isNtfsDotgitattributes, isNtfsDotgitignore } from './ntfs-names.ts'
import { isNtfsDotgitmodules, isNtfsDotmailmap } from './ntfs-names.ts'

/** What a tree entry name is to git once HFS+ or NTFS has read it. */
export interface SpecialKinds {
  dotgit: boolean
  gitmodules: boolean
  gitattributes: boolean
  gitignore: boolean
  mailmap: boolean
}

const NONE: SpecialKinds = Object.freeze({
  dotgit: false,
  gitmodules: false,
  gitattributes: false,
  gitignore: false,
  mailmap: false,
})

/**
 * Whether a name starting with byte `c` could be special to HFS+ or NTFS (unless it holds a
 * `\`): `.`, `g`/`G` (`git~1`, `gi7eba~1`), `m`/`M` (`mailma~1`), `~` (git's NTFS short-name
 * rule matches `~1234567` for every special name), or an HFS+ ignorable (U+200C.., U+FEFF).
 *
 * @example
 * startsSpecial('.'.charCodeAt(0)) // true
 */
export function startsSpecial(c: number): boolean {
  return (
    c === 0x2e ||
    c === 0x67 ||
    c === 0x47 ||
    c === 0x6d ||
    c === 0x4d ||
    c === 0x7e ||
    c === 0xe2 ||
    c === 0xef
  )
}

/**
 * Whether a name could be special to HFS+ or NTFS at all: it starts as `startsSpecial` says, or
 * holds a `\`. Everything else skips the name checks, which keeps wide trees cheap.
 */
function maybeSpecial(name: Uint8Array): boolean {
  if (startsSpecial(name[0])) return true
  for (let k = 0; k < name.length; k++) if (name[k] === 0x5c) return true
  return false
}

/**
 * Classifies one tree entry name (one path component) as git's `fsck_tree` does: `.git`,
 * `.gitmodules`, `.gitattributes`, `.gitignore` and `.mailmap` in every spelling HFS+ or NTFS
 * opens as one. Like git, `.git` and `.gitmodules` are also looked for after each `\`, which
 * NTFS reads as a directory separator (`a\.gitmodules`).
 *
 * @example
 * specialKinds(Buffer.from('a\\gitmod~1')).gitmodules // true
 */
export function specialKinds(name: Uint8Array): SpecialKinds {
  if (!maybeSpecial(name)) return NONE
  const kinds = {
    dotgit: isHfsDotgit(name) || isNtfsDotgit(name),
    gitmodules: isHfsDotgitmodules(name) || isNtfsDotgitmodules(name),
    gitattributes: isHfsDotgitattributes(name) || isNtfsDotgitattributes(name),
    gitignore: isHfsDotgitignore(name) || isNtfsDotgitignore(name),
    mailmap: isHfsDotmailmap(name) || isNtfsDotmailmap(name),
  }
  for (let b = name.indexOf(0x5c); b >= 0; b = name.indexOf(0x5c, b + 1)) {
    if (isNtfsDotgit(name, b + 1)) kinds.dotgit = true
    if (isNtfsDotgitmodules(name, b + 1)) kinds.gitmodules = true
  }
  return kinds
}
