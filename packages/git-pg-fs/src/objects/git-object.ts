import { createHash, hash } from 'node:crypto'

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag'

/** An undeltified git object: its id, type and raw content (no header, not compressed). */
export interface GitObject {
  oid: string
  type: ObjectType
  content: Buffer
  /**
   * The object as a pack brought it, to be stored as it is (set by pack readers): the entry's
   * zlib bytes, whole or a delta on `base`. Absent: the store compresses `content` itself.
   */
  packed?: PackedForm
}

/**
 * An object's stored form: zlib bytes of its content (`base` null) or of a git delta that makes
 * it from the object `base` of the same repository, `depth` deltas deep (0: whole).
 *
 * @example
 * const whole: PackedForm = { data: deflateSync(content), base: null, depth: 0 }
 */
export interface PackedForm {
  data: Buffer
  base: string | null
  depth: number
}

/**
 * git's default `pack.depth`: longer delta chains are cut (stored and sent whole) so that reads and
 * clients resolve them quickly.
 */
export const MAX_DELTA_DEPTH = 50

export const OBJECT_TYPES: readonly ObjectType[] = ['commit', 'tree', 'blob', 'tag']

/** Type codes as git's pack format numbers them. */
export const TYPE_CODE: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 }
export const CODE_TYPE: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' }

export function objectHeader(type: ObjectType, size: number): Buffer {
  return Buffer.from(`${type} ${size}\0`)
}

/** The object id git gives `content` of `type`: sha1 of `"<type> <size>\0" + content`. */
/** Header and content of objects up to this size are hashed from one scratch buffer. */
const SCRATCH = 64 * 1024
const scratch = Buffer.allocUnsafeSlow(SCRATCH + 32)

export function hashObject(type: ObjectType, content: Uint8Array): string {
  if (content.length > SCRATCH)
    return createHash('sha1')
      .update(objectHeader(type, content.length))
      .update(content)
      .digest('hex')
  // one-shot hashing: a Hash object per call costs more than hashing a small object
  const n = scratch.write(`${type} ${content.length}\0`, 0, 'latin1')
  scratch.set(content, n)
  return hash('sha1', scratch.subarray(0, n + content.length), 'hex')
}

export function makeObject(type: ObjectType, content: Uint8Array): GitObject {
  const buf = Buffer.isBuffer(content) ? content : Buffer.from(content)
  return { oid: hashObject(type, buf), type, content: buf }
}

export const EMPTY_TREE_OID = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'

export function isOid(value: string): boolean {
  return /^[0-9a-f]{40}$/.test(value)
}
