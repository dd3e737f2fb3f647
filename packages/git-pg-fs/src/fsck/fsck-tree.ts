import type { FsckMessageId, FsckProblem } from './fsck-message.ts'
import { specialKinds } from './special-kinds.ts'
import { isDirMode, isSymlinkMode } from './verify-path.ts'

/** Blobs a tree names as `.gitmodules` / `.gitattributes`: their content is checked too. */
export interface SpecialBlobs {
  gitmodules: Set<string>
  gitattributes: Set<string>
}

/** git's limit on one tree entry's name (`fsck.largePathname`). */
export const MAX_TREE_ENTRY_NAME = 4096

const STANDARD_MODES = new Set([0o100755, 0o100644, 0o120000, 0o040000, 0o160000])

interface RawEntry {
  mode: number
  name: Buffer
  /** offset of the 20-byte id in the tree */
  oidAt: number
  zeroPadded: boolean
}

/** `name.includes(byte)` without the call's cost on a short name. */
function hasByte(name: Uint8Array, byte: number): boolean {
  for (let k = 0; k < name.length; k++) if (name[k] === byte) return true
  return false
}

function isNullOid(content: Buffer, at: number): boolean {
  for (let k = at; k < at + 20; k++) if (content[k] !== 0) return false
  return true
}

/** Splits a raw tree like git's `decode_tree_entry`; null when git cannot parse it. */
function rawEntries(content: Buffer): RawEntry[] | null {
  const entries: RawEntry[] = []
  let i = 0
  while (i < content.length) {
    // bytes are scanned here rather than by `indexOf`, whose call costs more on short names
    let space = i
    while (space < content.length && content[space] !== 0x20) space++
    if (space === content.length) return null
    let mode = 0
    for (let m = i; m < space; m++) {
      const d = content[m] - 0x30
      if (d < 0 || d > 7) return null
      mode = ((mode << 3) + d) >>> 0
    }
    let nul = space + 1
    while (nul < content.length && content[nul] !== 0) nul++
    if (nul === content.length || nul === space + 1 || nul + 21 > content.length) return null
    entries.push({
      mode: mode & 0xffff,
      name: content.subarray(space + 1, nul),
      oidAt: nul + 1,
      zeroPadded: content[i] === 0x30,
    })
    i = nul + 21
  }
  return entries
}

const isLessThanSlash = (c: number | undefined) => c !== undefined && c > 0 && c < 0x2f

type Order = 'ok' | 'unordered' | 'duplicate'

/**
 * Orders two neighbouring entries as git's `verify_ordered` does (a directory sorts as if its
 * name ended in `/`), keeping the stack of file names a later directory could duplicate.
 */
function verifyOrdered(a: RawEntry, b: RawEntry, candidates: Buffer[]): Order {
  const len = Math.min(a.name.length, b.name.length)
  // compared byte by byte: names are short, and `Buffer.compare`'s call costs more
  for (let k = 0; k < len; k++) {
    if (a.name[k] !== b.name[k]) return a.name[k] < b.name[k] ? 'ok' : 'unordered'
  }
  let c1: number | undefined = a.name[len]
  let c2: number | undefined = b.name[len]
  if (c1 === undefined && c2 === undefined) return 'duplicate'
  if (c1 === undefined && isDirMode(a.mode)) c1 = 0x2f
  if (c2 === undefined && isDirMode(b.mode)) c2 = 0x2f
  if (c1 === undefined && isLessThanSlash(c2)) {
    candidates.push(a.name)
  } else if (c2 === 0x2f && isLessThanSlash(c1)) {
    for (;;) {
      const f = candidates.pop()
      if (!f) break
      if (b.name.length < f.length || b.name.compare(f, 0, f.length, 0, f.length) !== 0) continue
      const p = b.name[f.length]
      if (p === undefined) return 'duplicate'
      if (isLessThanSlash(p)) {
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
 * `.gitattributes` in `special`, so their content can be checked when they are seen.
 */
export function fsckTree(oid: string, content: Buffer, special: SpecialBlobs): FsckProblem[] {
  const problems: FsckProblem[] = []
  const report = (id: FsckMessageId, message: string) =>
    problems.push({ oid, type: 'tree', id, message })
  const entries = rawEntries(content)
  if (!entries) {
    report('badTree', 'cannot be parsed as a tree')
    return problems
  }
  const seen = new Set<FsckMessageId>()
  const flag = (id: FsckMessageId) => seen.add(id)
  const candidates: Buffer[] = []
  let previous: RawEntry | null = null
  for (const e of entries) {
    const { name, mode } = e
    const symlink = isSymlinkMode(mode)
    if (isNullOid(content, e.oidAt)) flag('nullSha1')
    if (hasByte(name, 0x2f)) flag('fullPathname')
    if (name.length === 1 && name[0] === 0x2e) flag('hasDot')
    if (name.length === 2 && name[0] === 0x2e && name[1] === 0x2e) flag('hasDotdot')
    if (e.zeroPadded) flag('zeroPaddedFilemode')
    if (name.length > MAX_TREE_ENTRY_NAME) flag('largePathname')
    const kinds = specialKinds(name)
    if (kinds.dotgit) flag('hasDotgit')
    if (kinds.gitmodules) {
      if (symlink) report('gitmodulesSymlink', '.gitmodules is a symbolic link')
      else special.gitmodules.add(content.toString('hex', e.oidAt, e.oidAt + 20))
    }
    if (kinds.gitattributes) {
      if (symlink) report('gitattributesSymlink', '.gitattributes is a symlink')
      else special.gitattributes.add(content.toString('hex', e.oidAt, e.oidAt + 20))
    }
    if (symlink && kinds.gitignore) report('gitignoreSymlink', '.gitignore is a symlink')
    if (symlink && kinds.mailmap) report('mailmapSymlink', '.mailmap is a symlink')
    if (!STANDARD_MODES.has(mode)) flag('badFilemode')
    if (previous) {
      const order = verifyOrdered(previous, e, candidates)
      if (order === 'unordered') flag('treeNotSorted')
      if (order === 'duplicate') flag('duplicateEntries')
    }
    previous = e
  }
  const messages: [FsckMessageId, string][] = [
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
  for (const [id, message] of messages) if (seen.has(id)) report(id, message)
  return problems
}
