import { createHash } from 'node:crypto'
import { inflateSync } from 'node:zlib'
import { BadPackError } from '../errors.ts'
import { CODE_TYPE, hashObject, type GitObject, type ObjectType } from '../objects/git-object.ts'
import { applyDelta } from './apply-delta.ts'

const OFS_DELTA = 6
const REF_DELTA = 7

interface RawEntry {
  offset: number
  code: number
  data: Buffer
  baseOffset?: number
  baseOid?: string
}

export interface ReadPackOptions {
  /** Looks up a delta base that is not in the pack (thin packs); returns null when unknown. */
  resolveBase?: (oid: string) => Promise<GitObject | null>
}

function inflate(pack: Buffer, at: number, expected: number): { data: Buffer; used: number } {
  try {
    // An output chunk of the object's own size: the default 16 KB chunk would be kept alive by
    // every small object's result (a slice of it), costing gigabytes on a large pack.
    const chunkSize = Math.min(Math.max(64, expected + 1), 1 << 20)
    const { buffer, engine } = inflateSync(pack.subarray(at), {
      info: true,
      chunkSize,
    }) as unknown as {
      buffer: Buffer
      engine: { bytesWritten: number }
    }
    if (buffer.length !== expected) throw new BadPackError(`object at ${at}: size mismatch`)
    return { data: buffer, used: engine.bytesWritten }
  } catch (err) {
    if (err instanceof BadPackError) throw err
    throw new BadPackError(`object at ${at}: corrupt compressed data`, { cause: err })
  }
}

function* parseEntries(pack: Buffer): Generator<RawEntry> {
  if (pack.length < 32) throw new BadPackError('pack is truncated')
  if (pack.toString('latin1', 0, 4) !== 'PACK') throw new BadPackError('not a packfile')
  const version = pack.readUInt32BE(4)
  if (version !== 2 && version !== 3) throw new BadPackError(`unsupported pack version ${version}`)
  const count = pack.readUInt32BE(8)
  const end = pack.length - 20
  const sum = createHash('sha1').update(pack.subarray(0, end)).digest()
  if (!sum.equals(pack.subarray(end)))
    throw new BadPackError('pack checksum mismatch (truncated or corrupt)')
  let i = 12
  for (let n = 0; n < count; n++) {
    if (i >= end) throw new BadPackError('pack is truncated')
    const offset = i
    let byte = pack[i++]
    const code = (byte >> 4) & 7
    let size = byte & 15
    let shift = 4
    while (byte & 0x80) {
      byte = pack[i++]
      size += (byte & 0x7f) * 2 ** shift
      shift += 7
    }
    const entry: RawEntry = { offset, code, data: Buffer.alloc(0) }
    if (code === OFS_DELTA) {
      byte = pack[i++]
      let rel = byte & 0x7f
      while (byte & 0x80) {
        byte = pack[i++]
        rel = (rel + 1) * 128 + (byte & 0x7f)
      }
      entry.baseOffset = offset - rel
    } else if (code === REF_DELTA) {
      entry.baseOid = pack.toString('hex', i, i + 20)
      i += 20
    } else if (!CODE_TYPE[code]) {
      throw new BadPackError(`object at ${offset}: unknown type ${code}`)
    }
    const { data, used } = inflate(pack, i, size)
    entry.data = data
    i += used
    yield entry
  }
  if (i !== end) throw new BadPackError('pack has trailing garbage')
}

interface Resolved {
  type: ObjectType
  content: Buffer
}

/**
 * Parses a packfile and yields each object as soon as it is resolved (hashed, deltas applied):
 * whole objects and offset deltas in pack order, ref deltas once their base is known. A consumer
 * can store objects while the rest of the pack is still being inflated. Throws `BadPackError` on
 * any truncation, checksum mismatch, corrupt data or unresolvable delta.
 */
export async function* streamPack(
  pack: Buffer,
  options: ReadPackOptions = {},
): AsyncGenerator<GitObject> {
  const byOffset = new Map<number, Resolved | null>()
  const byOid = new Map<string, Resolved>()
  const external = new Map<string, Resolved>()
  const resolve = (e: RawEntry, base: Resolved): GitObject => {
    const content = applyDelta(e.data, base.content)
    const oid = hashObject(base.type, content)
    const r = { type: base.type, content }
    byOffset.set(e.offset, r)
    byOid.set(oid, r)
    return { oid, ...r }
  }

  let waiting: RawEntry[] = []
  for (const e of parseEntries(pack)) {
    if (e.code !== OFS_DELTA && e.code !== REF_DELTA) {
      const type = CODE_TYPE[e.code]
      const oid = hashObject(type, e.data)
      const r = { type, content: e.data }
      byOffset.set(e.offset, r)
      byOid.set(oid, r)
      yield { oid, type, content: e.data }
      continue
    }
    if (e.baseOffset !== undefined && !byOffset.has(e.baseOffset))
      throw new BadPackError(`object at ${e.offset}: bad delta base offset`)
    const base = e.baseOffset !== undefined ? byOffset.get(e.baseOffset) : byOid.get(e.baseOid!)
    byOffset.set(e.offset, null)
    if (base) yield resolve(e, base)
    else waiting.push(e)
  }

  // Ref deltas on later objects, chains through them, and thin packs' bases outside the pack.
  while (waiting.length > 0) {
    const next: RawEntry[] = []
    for (const e of waiting) {
      let base = e.baseOffset !== undefined ? byOffset.get(e.baseOffset) : byOid.get(e.baseOid!)
      if (!base && e.baseOid !== undefined) {
        if (options.resolveBase && !external.has(e.baseOid)) {
          const found = await options.resolveBase(e.baseOid)
          if (found) external.set(found.oid, found)
        }
        base = external.get(e.baseOid)
      }
      if (base) yield resolve(e, base)
      else next.push(e)
    }
    if (next.length === waiting.length) {
      const e = next[0]
      throw new BadPackError(
        `object at ${e.offset}: delta base ${e.baseOid ?? `at offset ${e.baseOffset}`} is missing`,
      )
    }
    waiting = next
  }
}

/** Parses a whole packfile into its objects (see `streamPack`). */
export async function readPack(pack: Buffer, options: ReadPackOptions = {}): Promise<GitObject[]> {
  const objects: GitObject[] = []
  for await (const o of streamPack(pack, options)) objects.push(o)
  return objects
}
