import { BadObjectError } from '../errors.ts'
import { decodePath, encodePath } from '../paths/path-bytes.ts'

export type TreeEntryType = 'blob' | 'tree' | 'commit'

export interface TreeEntry {
  mode: string
  /** the entry's name as `decodePath` gives it: any bytes, lossless */
  name: string
  oid: string
  type: TreeEntryType
}

export function entryType(mode: string): TreeEntryType {
  if (mode === '40000' || mode === '040000') return 'tree'
  if (mode === '160000') return 'commit'
  return 'blob'
}

/** Parses a raw tree object. Modes come back as git writes them (`40000`, `100644`, ...). */
export function parseTree(content: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = []
  let i = 0
  while (i < content.length) {
    const space = content.indexOf(0x20, i)
    const nul = content.indexOf(0, space)
    if (space < 0 || nul < 0 || nul + 21 > content.length)
      throw new BadObjectError('malformed tree')
    const mode = content.toString('latin1', i, space)
    const name = decodePath(content.subarray(space + 1, nul))
    const oid = content.toString('hex', nul + 1, nul + 21)
    entries.push({ mode, name, oid, type: entryType(mode) })
    i = nul + 21
  }
  return entries
}

/** Git orders tree entries by name bytes, comparing a directory's name as if it ended in `/`. */
function sortKey(entry: TreeEntry): Buffer {
  return encodePath(entry.type === 'tree' ? `${entry.name}/` : entry.name)
}

const sortedWithKeys = (entries: TreeEntry[]) =>
  entries.map((e) => ({ e, k: sortKey(e) })).sort((a, b) => Buffer.compare(a.k, b.k))

export function sortTreeEntries(entries: TreeEntry[]): TreeEntry[] {
  return sortedWithKeys(entries).map(({ e }) => e)
}

/** Serialises entries (any order) into a canonical git tree object. */
export function serializeTree(entries: TreeEntry[]): Buffer {
  const sorted = sortedWithKeys(entries)
  // written into one buffer of the exact size: a large directory's tree is rebuilt on every
  // commit under it, and four small buffers an entry cost more than the rest of the commit
  let size = 0
  for (const { e, k } of sorted) size += modeOf(e).length + 1 + nameLength(e, k) + 1 + 20
  const out = Buffer.allocUnsafe(size)
  let at = 0
  for (const { e, k } of sorted) {
    at += out.write(modeOf(e), at, 'latin1')
    out[at++] = 0x20
    at += k.copy(out, at, 0, nameLength(e, k))
    out[at++] = 0
    if (out.write(e.oid, at, 20, 'hex') !== 20) throw new TypeError(`bad object id ${e.oid}`)
    at += 20
  }
  return out
}

const modeOf = (e: TreeEntry) => (e.mode === '040000' ? '40000' : e.mode)
/** The name's bytes in its sort key: a directory's key ends in '/'. */
const nameLength = (e: TreeEntry, key: Buffer) => (e.type === 'tree' ? key.length - 1 : key.length)

/**
 * Checks a raw tree's structure (`<octal mode> <name>\0<20-byte id>` entries, non-empty names)
 * without building its entries, at a fraction of `parseTree`'s cost. Imports make the same check
 * inside their one fsck walk over a tree (`checkedTree` in pack/import-pack.ts).
 */
export function checkTree(content: Buffer): void {
  let i = 0
  while (i < content.length) {
    // scanned by hand: `indexOf`'s call costs more than a short mode or name
    let space = i
    while (space < content.length && content[space] !== 0x20) space++
    if (space === content.length || space === i || space - i > 6)
      throw new BadObjectError('malformed tree: bad mode')
    for (let m = i; m < space; m++)
      if (content[m] < 0x30 || content[m] > 0x37)
        throw new BadObjectError('malformed tree: bad mode')
    let nul = space + 1
    while (nul < content.length && content[nul] !== 0) nul++
    if (nul === content.length || nul + 21 > content.length)
      throw new BadObjectError('malformed tree')
    if (nul === space + 1) throw new BadObjectError('malformed tree: empty name')
    i = nul + 21
  }
}
