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

function parseEntries(pack: Buffer): RawEntry[] {
  if (pack.length < 32) throw new BadPackError('pack is truncated')
  if (pack.toString('latin1', 0, 4) !== 'PACK') throw new BadPackError('not a packfile')
  const version = pack.readUInt32BE(4)
  if (version !== 2 && version !== 3) throw new BadPackError(`unsupported pack version ${version}`)
  const count = pack.readUInt32BE(8)
  const end = pack.length - 20
  const sum = createHash('sha1').update(pack.subarray(0, end)).digest()
  if (!sum.equals(pack.subarray(end)))
    throw new BadPackError('pack checksum mismatch (truncated or corrupt)')
  const entries: RawEntry[] = []
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
    entries.push(entry)
  }
  if (i !== end) throw new BadPackError('pack has trailing garbage')
  return entries
}

/**
 * Parses a whole packfile, resolves ofs/ref deltas and hashes every object. Throws `BadPackError`
 * on any truncation, checksum mismatch, corrupt data or unresolvable delta.
 */
export async function readPack(pack: Buffer, options: ReadPackOptions = {}): Promise<GitObject[]> {
  const entries = parseEntries(pack)
  const byOffset = new Map<number, RawEntry>(entries.map((e) => [e.offset, e]))
  const resolved = new Map<number, { type: ObjectType; content: Buffer; oid: string }>()
  const byOid = new Map<string, { type: ObjectType; content: Buffer }>()
  const external = new Map<string, GitObject>()

  for (const e of entries) {
    if (e.code === OFS_DELTA || e.code === REF_DELTA) continue
    const type = CODE_TYPE[e.code]
    const oid = hashObject(type, e.data)
    resolved.set(e.offset, { type, content: e.data, oid })
    byOid.set(oid, { type, content: e.data })
  }

  let pending = entries.filter((e) => !resolved.has(e.offset))
  while (pending.length > 0) {
    const next: RawEntry[] = []
    for (const e of pending) {
      let base: { type: ObjectType; content: Buffer } | undefined
      if (e.baseOffset !== undefined) {
        if (!byOffset.has(e.baseOffset))
          throw new BadPackError(`object at ${e.offset}: bad delta base offset`)
        base = resolved.get(e.baseOffset)
      } else {
        base = byOid.get(e.baseOid!)
        if (!base && options.resolveBase && !external.has(e.baseOid!)) {
          const found = await options.resolveBase(e.baseOid!)
          if (found) external.set(found.oid, found)
        }
        base = base ?? external.get(e.baseOid!)
      }
      if (!base) {
        next.push(e)
        continue
      }
      const content = applyDelta(e.data, base.content)
      const oid = hashObject(base.type, content)
      resolved.set(e.offset, { type: base.type, content, oid })
      byOid.set(oid, { type: base.type, content })
    }
    if (next.length === pending.length) {
      const e = next[0]
      throw new BadPackError(
        `object at ${e.offset}: delta base ${e.baseOid ?? `at offset ${e.baseOffset}`} is missing`,
      )
    }
    pending = next
  }
  return entries.map((e) => {
    const r = resolved.get(e.offset)!
    return { oid: r.oid, type: r.type, content: r.content }
  })
}
