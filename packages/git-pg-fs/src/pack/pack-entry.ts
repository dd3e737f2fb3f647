import { constants, Inflate, inflateSync } from 'node:zlib'
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
  /** where its compressed data ends (set once inflated) */
  dataEnd?: number
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

/** What the inflaters need of a zlib `Inflate` object beyond its public API. */
export interface InflateEngine extends Inflate {
  _handle: {
    reset(): void
    writeSync(
      flush: number,
      input: Buffer,
      inOff: number,
      inLen: number,
      out: Buffer,
      outOff: number,
      outLen: number,
    ): void
  } | null
  /** [output space left, input left] after `writeSync` */
  _writeState: Uint32Array
}

function newEngine(): InflateEngine | null {
  const engine = new Inflate() as InflateEngine
  if (
    typeof engine._handle?.writeSync !== 'function' ||
    !(engine._writeState instanceof Uint32Array)
  )
    return null
  // a corrupt stream closes the engine and reports the error as an event: it is detected by the
  // closed handle, and a new engine takes over
  engine.on('error', () => {})
  return engine
}

let engine = newEngine()
/** false where this Node's zlib objects lack the handle used below: `inflateSync` each time */
const reusable = engine !== null

/**
 * Inflates the zlib stream at `at` (within `pack[at, end)`), which must give `expected` bytes.
 * Throws `TruncatedEntryError` when the stream is cut short by `end`, `BadPackError` otherwise.
 * Bytes after the stream must follow it within `end` (in a pack, the next entry or the checksum):
 * a stream that ends exactly at `end` reads as cut short, as zlib cannot tell the two apart.
 *
 * Most entries are small (tree and commit deltas of a few hundred bytes), so setting up zlib
 * costs more than inflating: one engine is reset and reused for every entry (ten times faster
 * than `inflateSync`, which makes a new one each time).
 */
export function inflateEntry(
  pack: Buffer,
  at: number,
  end: number,
  expected: number,
): { data: Buffer; used: number } {
  if (!reusable) return inflateOnce(pack, at, end, expected)
  engine ??= newEngine()!
  const handle = engine._handle!
  // exactly sized, with a byte to spare so that too much output shows: small objects share
  // Node's 8 KB pool slabs with the objects read next to them, larger ones have their own memory
  const out =
    expected < 4096 ? Buffer.allocUnsafe(expected + 1) : Buffer.allocUnsafeSlow(expected + 1)
  handle.reset()
  handle.writeSync(constants.Z_SYNC_FLUSH, pack, at, end - at, out, 0, expected + 1)
  if (engine._handle === null) {
    engine = null
    throw new BadPackError(`object at ${at}: corrupt compressed data`)
  }
  const [outLeft, inLeft] = engine._writeState
  const produced = expected + 1 - outLeft
  if (inLeft === 0 && produced <= expected) throw new TruncatedEntryError()
  if (produced !== expected) throw new BadPackError(`object at ${at}: size mismatch`)
  return { data: out.subarray(0, expected), used: end - at - inLeft }
}

function inflateOnce(pack: Buffer, at: number, end: number, expected: number) {
  let result: { buffer: Buffer; engine: { bytesWritten: number } }
  try {
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

/** Where a stored stream of unknown size is inflated first (most are deltas of a few KB). */
const scratch = Buffer.allocUnsafeSlow(1 << 20)

/**
 * Inflates a whole zlib stream held on its own (a stored object's bytes) with the reused engine:
 * into exactly `size` bytes when its size is known, else into a scratch buffer and copied out
 * (`inflateSync` past the scratch's size). Throws `BadPackError` on corrupt data or a size other
 * than `size`.
 *
 * @example
 * const delta = inflateStream(row.data)
 * const content = inflateStream(row.data, row.size)
 */
export function inflateStream(data: Buffer, size?: number): Buffer {
  if (!reusable) return inflateSync(data)
  engine ??= newEngine()!
  const handle = engine._handle!
  const out =
    size === undefined
      ? scratch
      : size < 4096
        ? Buffer.allocUnsafe(size + 1)
        : Buffer.allocUnsafeSlow(size + 1)
  handle.reset()
  handle.writeSync(constants.Z_SYNC_FLUSH, data, 0, data.length, out, 0, out.length)
  if (engine._handle === null) {
    engine = null
    throw new BadPackError('corrupt compressed data')
  }
  const produced = out.length - engine._writeState[0]
  if (size === undefined) {
    if (produced === out.length) return inflateSync(data)
    return Buffer.from(out.subarray(0, produced))
  }
  if (produced !== size) throw new BadPackError('size mismatch')
  return out.subarray(0, size)
}

/** How many bytes a stored zlib stream inflates to (see `inflateStream`), keeping none of them. */
export function inflatedSize(data: Buffer): number {
  if (!reusable) return inflateSync(data).length
  engine ??= newEngine()!
  const handle = engine._handle!
  handle.reset()
  handle.writeSync(constants.Z_SYNC_FLUSH, data, 0, data.length, scratch, 0, scratch.length)
  if (engine._handle === null) {
    engine = null
    throw new BadPackError('corrupt compressed data')
  }
  const produced = scratch.length - engine._writeState[0]
  return produced === scratch.length ? inflateSync(data).length : produced
}
