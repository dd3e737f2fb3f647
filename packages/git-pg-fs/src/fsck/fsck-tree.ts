import type { FsckMessageId, FsckProblem } from './fsck-message.ts'
import { specialKinds, startsSpecial } from './special-kinds.ts'
import { isDirMode, isSymlinkMode } from './verify-path.ts'

/** Blobs a tree names as `.gitmodules` / `.gitattributes`: their content is checked too. */
export interface SpecialBlobs {
  gitmodules: Set<string>
  gitattributes: Set<string>
}

/** git's limit on one tree entry's name (`fsck.largePathname`). */
export const MAX_TREE_ENTRY_NAME = 4096

const STANDARD_MODES = new Set([0o100755, 0o100644, 0o120000, 0o040000, 0o160000])

/** The problems found over all entries, reported once each, in this order (git's). */
const FLAGS: readonly [FsckMessageId, string][] = [
  ['nullSha1', 'contains entries pointing to null sha1'],
  ['fullPathname', 'contains full pathnames'],
  ['emptyName', 'contains empty pathname'],
  ['hasDot', "contains '.'"],
  ['hasDotdot', "contains '..'"],
  ['hasDotgit', "contains '.git'"],
  ['zeroPaddedFilemode', 'contains zero-padded file modes'],
  ['badFilemode', 'contains bad file modes'],
  ['duplicateEntries', 'contains duplicate file entries'],
  ['treeNotSorted', 'not properly sorted'],
  ['largePathname', 'contains excessively large pathname'],
]
const flagBit = (id: FsckMessageId) => 1 << FLAGS.findIndex(([f]) => f === id)
const NULL_SHA1 = flagBit('nullSha1')
const FULL_PATHNAME = flagBit('fullPathname')
const HAS_DOT = flagBit('hasDot')
const HAS_DOTDOT = flagBit('hasDotdot')
const HAS_DOTGIT = flagBit('hasDotgit')
const ZERO_PADDED = flagBit('zeroPaddedFilemode')
const BAD_FILEMODE = flagBit('badFilemode')
const DUPLICATE = flagBit('duplicateEntries')
const NOT_SORTED = flagBit('treeNotSorted')
const LARGE_PATHNAME = flagBit('largePathname')

/** Where one entry's parts lie in its tree's bytes: `<octal mode> <name>\0<20-byte id>`. */
export interface TreeEntryAt {
  /** the entry's first byte (its mode's) */
  at: number
  /** the mode, as git reads it (low 16 bits) */
  mode: number
  nameAt: number
  /** the name's end: the NUL before the 20-byte id */
  nameEnd: number
}

/**
 * Told of each entry of a tree `fsckTree` walks, so that other checks of the entries (an
 * import's shape check, the ids a pack must hold) need no walk of their own. A tree git cannot
 * parse is reported by fsck (`badTree`, which refuses it) after its first entries were told.
 */
export type TreeEntryVisitor = (content: Buffer, entry: TreeEntryAt) => void

/**
 * One entry of a raw tree, read in place. The bytes are scanned by hand (names are short, and a
 * `Buffer` call costs more than the scan), and nothing is allocated per entry: a tree is read
 * once per object of every imported version.
 */
class EntryCursor implements TreeEntryAt {
  at = 0
  mode = 0
  nameAt = 0
  nameEnd = 0
  zeroPadded = false
  /** whether the name holds a `/` */
  slash = false
  /** whether the name holds a `\` (a separator to NTFS) */
  backslash = false
  next = 0

  constructor(readonly content: Buffer) {}

  /** Reads the entry at `at` like git's `decode_tree_entry`; false when git cannot parse it. */
  read(at: number): boolean {
    const c = this.content
    let space = at
    while (space < c.length && c[space] !== 0x20) space++
    if (space === c.length) return false
    let mode = 0
    for (let m = at; m < space; m++) {
      const d = c[m] - 0x30
      if (d < 0 || d > 7) return false
      mode = ((mode << 3) + d) >>> 0
    }
    let slash = false
    let backslash = false
    let nul = space + 1
    for (; nul < c.length; nul++) {
      const b = c[nul]
      if (b === 0) break
      if (b === 0x2f) slash = true
      else if (b === 0x5c) backslash = true
    }
    if (nul === c.length || nul === space + 1 || nul + 21 > c.length) return false
    this.at = at
    this.mode = mode & 0xffff
    this.nameAt = space + 1
    this.nameEnd = nul
    this.zeroPadded = c[at] === 0x30
    this.slash = slash
    this.backslash = backslash
    this.next = nul + 21
    return true
  }
}

const SYMLINK_MESSAGES = {
  gitmodulesSymlink: '.gitmodules is a symbolic link',
  gitattributesSymlink: '.gitattributes is a symlink',
  gitignoreSymlink: '.gitignore is a symlink',
  mailmapSymlink: '.mailmap is a symlink',
} as const

function symlinkProblem(oid: string, id: keyof typeof SYMLINK_MESSAGES): FsckProblem {
  return { oid, type: 'tree', id, message: SYMLINK_MESSAGES[id] }
}

function isNullOid(content: Buffer, at: number): boolean {
  for (let k = at; k < at + 20; k++) if (content[k] !== 0) return false
  return true
}

const isLessThanSlash = (c: number | undefined) => c !== undefined && c > 0 && c < 0x2f

type Order = 'ok' | 'unordered' | 'duplicate'

/** A name and mode of a tree entry: bounds in the tree's bytes. */
interface Named {
  mode: number
  nameAt: number
  nameEnd: number
}

/**
 * Orders two neighbouring entries as git's `verify_ordered` does (a directory sorts as if its
 * name ended in `/`), keeping the stack of file names a later directory could duplicate.
 */
function verifyOrdered(content: Buffer, a: Named, b: Named, candidates: Buffer[]): Order {
  const aLength = a.nameEnd - a.nameAt
  const bLength = b.nameEnd - b.nameAt
  const len = Math.min(aLength, bLength)
  for (let k = 0; k < len; k++) {
    const x = content[a.nameAt + k]
    const y = content[b.nameAt + k]
    if (x !== y) return x < y ? 'ok' : 'unordered'
  }
  let c1: number | undefined = len < aLength ? content[a.nameAt + len] : undefined
  let c2: number | undefined = len < bLength ? content[b.nameAt + len] : undefined
  if (c1 === undefined && c2 === undefined) return 'duplicate'
  if (c1 === undefined && isDirMode(a.mode)) c1 = 0x2f
  if (c2 === undefined && isDirMode(b.mode)) c2 = 0x2f
  if (c1 === undefined && isLessThanSlash(c2)) {
    candidates.push(content.subarray(a.nameAt, a.nameEnd))
  } else if (c2 === 0x2f && isLessThanSlash(c1)) {
    for (;;) {
      const f = candidates.pop()
      if (!f) break
      if (bLength < f.length || content.compare(f, 0, f.length, b.nameAt, b.nameAt + f.length))
        continue
      if (bLength === f.length) return 'duplicate'
      if (isLessThanSlash(content[b.nameAt + f.length])) {
        candidates.push(f)
        break
      }
    }
  }
  return (c1 ?? 0) < (c2 ?? 0) ? 'ok' : 'unordered'
}

/**
 * git's `fsck_tree` for one raw tree: entry names (`.`, `..`, `.git` as HFS+ and NTFS read it,
 * `/` inside a name), modes, order and duplicates. Records the blobs named `.gitmodules` and
 * `.gitattributes` in `special`, so their content can be checked when they are seen. `visit` is
 * told of each entry (see `TreeEntryVisitor`).
 *
 * @example
 * fsckTree(oid, content, { gitmodules: new Set(), gitattributes: new Set() }) // [] when sound
 */
export function fsckTree(
  oid: string,
  content: Buffer,
  special: SpecialBlobs,
  visit?: TreeEntryVisitor,
): FsckProblem[] {
  const problems: FsckProblem[] = []
  let seen = 0
  const candidates: Buffer[] = []
  // special blobs are recorded only once the whole tree has parsed
  const gitmodules: string[] = []
  const gitattributes: string[] = []
  const e = new EntryCursor(content)
  const previous: Named = { mode: 0, nameAt: 0, nameEnd: 0 }
  for (let i = 0; i < content.length; i = e.next) {
    if (!e.read(i))
      return [{ oid, type: 'tree', id: 'badTree', message: 'cannot be parsed as a tree' }]
    visit?.(content, e)
    const { mode, nameAt, nameEnd } = e
    const length = nameEnd - nameAt
    const oidAt = nameEnd + 1
    if (isNullOid(content, oidAt)) seen |= NULL_SHA1
    if (e.slash) seen |= FULL_PATHNAME
    if (length === 1 && content[nameAt] === 0x2e) seen |= HAS_DOT
    if (length === 2 && content[nameAt] === 0x2e && content[nameAt + 1] === 0x2e) seen |= HAS_DOTDOT
    if (e.zeroPadded) seen |= ZERO_PADDED
    if (length > MAX_TREE_ENTRY_NAME) seen |= LARGE_PATHNAME
    if (e.backslash || startsSpecial(content[nameAt])) {
      const kinds = specialKinds(content.subarray(nameAt, nameEnd))
      const symlink = isSymlinkMode(mode)
      if (kinds.dotgit) seen |= HAS_DOTGIT
      if (kinds.gitmodules) {
        if (symlink) problems.push(symlinkProblem(oid, 'gitmodulesSymlink'))
        else gitmodules.push(content.toString('hex', oidAt, oidAt + 20))
      }
      if (kinds.gitattributes) {
        if (symlink) problems.push(symlinkProblem(oid, 'gitattributesSymlink'))
        else gitattributes.push(content.toString('hex', oidAt, oidAt + 20))
      }
      if (symlink && kinds.gitignore) problems.push(symlinkProblem(oid, 'gitignoreSymlink'))
      if (symlink && kinds.mailmap) problems.push(symlinkProblem(oid, 'mailmapSymlink'))
    }
    if (!STANDARD_MODES.has(mode)) seen |= BAD_FILEMODE
    if (i > 0) {
      const order = verifyOrdered(content, previous, e, candidates)
      if (order === 'unordered') seen |= NOT_SORTED
      if (order === 'duplicate') seen |= DUPLICATE
    }
    previous.mode = mode
    previous.nameAt = nameAt
    previous.nameEnd = nameEnd
  }
  for (const id of gitmodules) special.gitmodules.add(id)
  for (const id of gitattributes) special.gitattributes.add(id)
  for (let f = 0; f < FLAGS.length; f++)
    if (seen & (1 << f)) problems.push({ oid, type: 'tree', id: FLAGS[f][0], message: FLAGS[f][1] })
  return problems
}
