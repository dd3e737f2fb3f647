import { createHash, type Hash } from 'node:crypto'
import { deflateSync } from 'node:zlib'

/** The type-and-size header of a pack entry. */
export function entryHeader(type: number, size: number): Buffer {
  const bytes: number[] = []
  let byte = (type << 4) | (size & 15)
  size = Math.floor(size / 16)
  while (size > 0) {
    bytes.push(byte | 0x80)
    byte = size & 0x7f
    size = Math.floor(size / 128)
  }
  bytes.push(byte)
  return Buffer.from(bytes)
}

export const OFS_DELTA = 6
export const REF_DELTA = 7

/** Writes an entry's type-and-size header into `buf` at `at`; returns where it ends. */
function writeEntryHeader(buf: Buffer, at: number, type: number, size: number): number {
  let byte = (type << 4) | (size & 15)
  size = Math.floor(size / 16)
  while (size > 0) {
    buf[at++] = byte | 0x80
    byte = size & 0x7f
    size = Math.floor(size / 128)
  }
  buf[at++] = byte
  return at
}

const ofsScratch = new Uint8Array(16)

/** Writes an OFS_DELTA's distance back (see `ofsHeader`) into `buf` at `at`; returns the end. */
function writeOfs(buf: Buffer, at: number, distance: number): number {
  let pos = 15
  ofsScratch[pos] = distance & 0x7f
  let n = Math.floor(distance / 128)
  while (n > 0) {
    n -= 1
    ofsScratch[--pos] = 0x80 | (n & 0x7f)
    n = Math.floor(n / 128)
  }
  for (; pos < 16; pos++) buf[at++] = ofsScratch[pos]
  return at
}

/** The distance back to an OFS_DELTA's base, in git's offset encoding. */
export function ofsHeader(distance: number): Buffer {
  const bytes = [distance & 0x7f]
  let n = Math.floor(distance / 128)
  while (n > 0) {
    n -= 1
    bytes.unshift(0x80 | (n & 0x7f))
    n = Math.floor(n / 128)
  }
  return Buffer.from(bytes)
}

/** The 12-byte header of a version-2 pack of `count` objects. */
export function packHeader(count: number): Buffer {
  const header = Buffer.alloc(12)
  header.write('PACK', 0, 'latin1')
  header.writeUInt32BE(2, 4)
  header.writeUInt32BE(count, 8)
  return header
}

const STORED_BLOCK = 0xffff

/** Bytes a zlib stream of `size` bytes in stored blocks takes. */
export function storedZlibSize(size: number): number {
  return 2 + 5 * Math.max(1, Math.ceil(size / STORED_BLOCK)) + size + 4
}

/**
 * Writes `data` as a zlib stream of stored (uncompressed) blocks into `out` at `at`; returns the
 * end. No zlib call: a header, the blocks and an adler32, which a reader inflates at memcpy speed.
 */
export function writeStoredZlib(data: Uint8Array, out: Buffer, at: number): number {
  out[at++] = 0x78
  out[at++] = 0x01
  let a = 1
  let b = 0
  let i = 0
  do {
    const n = Math.min(STORED_BLOCK, data.length - i)
    out[at] = i + n >= data.length ? 1 : 0
    out[at + 1] = n & 0xff
    out[at + 2] = n >>> 8
    out[at + 3] = ~n & 0xff
    out[at + 4] = (~n >>> 8) & 0xff
    at += 5
    out.set(data.subarray(i, i + n), at)
    at += n
    // adler32 in int32 arithmetic: reduced every 2,500 bytes, the sums stay below 2^31
    for (let end = i + n; i < end;) {
      const stop = Math.min(end, i + 2500)
      for (; i < stop; i++) {
        a = (a + data[i]) | 0
        b = (b + a) | 0
      }
      a %= 65521
      b %= 65521
    }
  } while (i < data.length)
  out.writeUInt32BE(((b << 16) | a) >>> 0, at)
  return at + 4
}

/** A zlib stream of `data`: stored blocks, or deflated at level 1. */
export function zlibStream(data: Buffer, deflate: boolean): Buffer {
  if (deflate) return deflateSync(data, { level: 1 })
  const out = Buffer.allocUnsafe(storedZlibSize(data.length))
  writeStoredZlib(data, out, 0)
  return out
}

/**
 * A pack written into chunks of about `chunkSize` bytes as entries are added: the header first,
 * the sha1 trailer last. Entries are undeltified; `deflate` chooses level-1 deflate over stored
 * blocks (larger pack, but no compression cost for server or client).
 *
 * @example
 * const pack = new PackWriter({ count: objects.length })
 * for (const o of objects) for (const chunk of pack.add(TYPE_CODE[o.type], o.content)) yield chunk
 * yield* pack.end()
 */
export class PackWriter {
  readonly #hash: Hash = createHash('sha1')
  readonly #chunkSize: number
  readonly #deflate: boolean
  readonly #count: number
  #added = 0
  #buf: Buffer
  #at = 0
  /** bytes of the pack in chunks already returned */
  #flushed = 0

  constructor({
    count,
    chunkSize = 256 * 1024,
    deflate = false,
  }: {
    count: number
    chunkSize?: number
    deflate?: boolean
  }) {
    this.#count = count
    this.#chunkSize = chunkSize
    this.#deflate = deflate
    this.#buf = Buffer.allocUnsafe(chunkSize)
    packHeader(count).copy(this.#buf)
    this.#at = 12
  }

  /** Where the next entry starts in the pack. */
  get offset(): number {
    return this.#flushed + this.#at
  }

  /**
   * Adds a delta entry: against the entry `base` bytes into the pack (OFS_DELTA) or, given a
   * 20-byte id, against that object (REF_DELTA). Returns the chunks it filled.
   */
  addDelta(base: number | Buffer, delta: Buffer): Buffer[] {
    const header =
      typeof base === 'number'
        ? [entryHeader(OFS_DELTA, delta.length), ofsHeader(this.offset - base)]
        : [entryHeader(REF_DELTA, delta.length), base]
    return this.#entry(Buffer.concat(header), delta)
  }

  /**
   * Adds an entry whose zlib bytes are at hand (a stored object sent as it is): whole (`type`
   * 1–4), or a delta of `size` bytes on the entry `base` bytes into the pack or on the object of
   * that 20-byte id. Returns the chunks it filled.
   */
  addStored({
    type,
    base,
    size,
    zlib,
  }: {
    type: number
    base?: number | Uint8Array
    size: number
    zlib: Uint8Array
  }): Buffer[] {
    this.#added++
    const out: Buffer[] = []
    // the header, at most 10 + 20 bytes, straight into the chunk: no buffer of its own
    if (this.#at + 32 > this.#buf.length) this.#flush(out)
    const start = this.offset
    const buf = this.#buf
    let at = this.#at
    if (base === undefined) at = writeEntryHeader(buf, at, type, size)
    else if (typeof base === 'number') {
      at = writeEntryHeader(buf, at, OFS_DELTA, size)
      at = writeOfs(buf, at, start - base)
    } else {
      at = writeEntryHeader(buf, at, REF_DELTA, size)
      buf.set(base, at)
      at += 20
    }
    this.#at = at
    this.#put(zlib, out)
    return out
  }

  /** Adds an entry; returns the chunks it filled (usually none). */
  add(type: number, content: Buffer): Buffer[] {
    return this.#entry(entryHeader(type, content.length), content)
  }

  #entry(header: Buffer, content: Buffer): Buffer[] {
    this.#added++
    const out: Buffer[] = []
    if (this.#deflate) {
      this.#put(header, out)
      this.#put(deflateSync(content, { level: 1 }), out)
      return out
    }
    const size = header.length + storedZlibSize(content.length)
    if (this.#at + size > this.#buf.length) {
      this.#flush(out)
      if (size > this.#buf.length) this.#buf = Buffer.allocUnsafe(size)
    }
    header.copy(this.#buf, this.#at)
    this.#at = writeStoredZlib(content, this.#buf, this.#at + header.length)
    return out
  }

  #put(data: Uint8Array, out: Buffer[]) {
    if (this.#at + data.length > this.#buf.length) this.#flush(out)
    if (data.length > this.#buf.length) {
      this.#hash.update(data)
      out.push(Buffer.from(data.buffer, data.byteOffset, data.length))
      this.#flushed += data.length
      return
    }
    this.#buf.set(data, this.#at)
    this.#at += data.length
  }

  #flush(out: Buffer[]) {
    if (this.#at === 0) return
    const chunk = this.#buf.subarray(0, this.#at)
    this.#hash.update(chunk)
    out.push(chunk)
    this.#flushed += this.#at
    this.#buf = Buffer.allocUnsafe(this.#chunkSize)
    this.#at = 0
  }

  /** The last chunk and the pack's sha1; throws when the count announced was not met. */
  end(): Buffer[] {
    if (this.#added !== this.#count)
      throw new Error(`pack announced ${this.#count} objects but got ${this.#added}`)
    const out: Buffer[] = []
    this.#flush(out)
    out.push(this.#hash.digest())
    return out
  }
}
