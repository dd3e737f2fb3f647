import { inflateSync } from 'node:zlib'
import { BadPackError } from '../errors.ts'
import { CODE_TYPE } from '../objects/git-object.ts'

export const OFS_DELTA = 6
export const REF_DELTA = 7

/** Checks a pack's 12-byte header; returns its object count. */
export function readPackHeader(pack: Buffer): number {
  if (pack.toString('latin1', 0, 4) !== 'PACK') throw new BadPackError('not a packfile')
  const version = pack.readUInt32BE(4)
  if (version !== 2 && version !== 3) throw new BadPackError(`unsupported pack version ${version}`)
  return pack.readUInt32BE(8)
}

/** One packed object as stored: whole (`code` 1–4) or a delta on an offset or an id. */
export interface RawEntry {
  offset: number
  code: number
  data: Buffer
  /** where its compressed data starts, and its inflated size: to inflate it again */
  dataAt: number
  size: number
  baseOffset?: number
  baseOid?: string
}

export interface EntryHeader {
  entry: RawEntry
  /** inflated size the header announces */
  size: number
  /** where the compressed data starts */
  dataAt: number
}

/**
 * Reads the header of the entry at `offset`; null when it runs past `limit` (more bytes needed).
 * Throws `BadPackError` on an unknown type.
 */
export function readEntryHeader(pack: Buffer, offset: number, limit: number): EntryHeader | null {
  let i = offset
  if (i >= limit) return null
  let byte = pack[i++]
  const code = (byte >> 4) & 7
  let size = byte & 15
  let shift = 4
  while (byte & 0x80) {
    if (i >= limit) return null
    byte = pack[i++]
    size += (byte & 0x7f) * 2 ** shift
    shift += 7
  }
  const entry: RawEntry = { offset, code, data: Buffer.alloc(0), dataAt: 0, size }
  if (code === OFS_DELTA) {
    if (i >= limit) return null
    byte = pack[i++]
    let rel = byte & 0x7f
    while (byte & 0x80) {
      if (i >= limit) return null
      byte = pack[i++]
      rel = (rel + 1) * 128 + (byte & 0x7f)
    }
    entry.baseOffset = offset - rel
  } else if (code === REF_DELTA) {
    if (i + 20 > limit) return null
    entry.baseOid = pack.toString('hex', i, i + 20)
    i += 20
  } else if (!CODE_TYPE[code]) {
    throw new BadPackError(`object at ${offset}: unknown type ${code}`)
  }
  entry.dataAt = i
  return { entry, size, dataAt: i }
}

/** Why an inflate failed: the data ended early (more may come), or it is corrupt. */
export class TruncatedEntryError extends Error {}

/**
 * Inflates the zlib stream at `at` (within `pack[at, end)`), which must give `expected` bytes.
 * Throws `TruncatedEntryError` when the stream is cut short by `end`, `BadPackError` otherwise.
 */
export function inflateEntry(
  pack: Buffer,
  at: number,
  end: number,
  expected: number,
): { data: Buffer; used: number } {
  let result: { buffer: Buffer; engine: { bytesWritten: number } }
  try {
    // An output chunk of the object's own size: the default 16 KB chunk would be kept alive by
    // every small object's result (a slice of it), costing gigabytes on a large pack.
    const chunkSize = Math.min(Math.max(64, expected + 1), 1 << 20)
    result = inflateSync(pack.subarray(at, end), { info: true, chunkSize }) as unknown as {
      buffer: Buffer
      engine: { bytesWritten: number }
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'Z_BUF_ERROR') throw new TruncatedEntryError()
    throw new BadPackError(`object at ${at}: corrupt compressed data`, { cause: err })
  }
  if (result.buffer.length !== expected) throw new BadPackError(`object at ${at}: size mismatch`)
  return { data: result.buffer, used: result.engine.bytesWritten }
}
