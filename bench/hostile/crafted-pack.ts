import { createHash } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { entryHeader, packHeader } from '../../packages/git-pg-fs/src/pack/pack-writer.ts'

export const TYPE_CODE = { commit: 1, tree: 2, blob: 3 } as const
export type ObjectType = keyof typeof TYPE_CODE

/** One pack entry: its type, its inflated size and its zlib stream. */
export interface PackEntry {
  type: ObjectType
  size: number
  zlib: Buffer
}

/** The id git gives an object of `type` with `content`. */
export function objectId(type: ObjectType, content: Buffer): string {
  return createHash('sha1').update(`${type} ${content.length}\0`).update(content).digest('hex')
}

/** An entry of `content`, deflated as git would. */
export function entryOf(type: ObjectType, content: Buffer): PackEntry {
  return { type, size: content.length, zlib: deflateSync(content) }
}

/** A tree's content; entries are blobs (mode 100644) and must come sorted by name. */
export function treeContent(entries: { name: string; oid: string }[]): Buffer {
  const parts: Buffer[] = []
  for (const { name, oid } of entries)
    parts.push(Buffer.from(`100644 ${name}\0`, 'utf8'), Buffer.from(oid, 'hex'))
  return Buffer.concat(parts)
}

/** A root commit's content with a fixed author and date. */
export function commitContent(tree: string, message: string): Buffer {
  const who = 'Bench <bench@example.com> 1700000000 +0000'
  return Buffer.from(`tree ${tree}\nauthor ${who}\ncommitter ${who}\n\n${message}\n`, 'utf8')
}

/**
 * A version-2 pack of undeltified entries, as git sends one: header, entries, sha1 trailer.
 * The entries' zlib streams are taken as they are, so a caller can craft them.
 */
export function packOf(entries: PackEntry[]): Buffer {
  const parts = [packHeader(entries.length)]
  for (const e of entries) parts.push(entryHeader(TYPE_CODE[e.type], e.size), e.zlib)
  const body = Buffer.concat(parts)
  return Buffer.concat([body, createHash('sha1').update(body).digest()])
}

/** A root commit holding one tree, with the tree, the commit and their objects: a whole push. */
export function commitPack({
  tree,
  blobs,
  message,
}: {
  tree: { name: string; oid: string }[]
  blobs: PackEntry[]
  message: string
}): { commit: string; pack: Buffer } {
  const treeBytes = treeContent(tree)
  const treeOid = objectId('tree', treeBytes)
  const commitBytes = commitContent(treeOid, message)
  return {
    commit: objectId('commit', commitBytes),
    pack: packOf([...blobs, entryOf('tree', treeBytes), entryOf('commit', commitBytes)]),
  }
}
