import { createHash } from 'node:crypto'
import { closeSync, openSync, readSync, rmSync, writeSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { MAX_DELTA_DEPTH, TYPE_CODE, type GitObject } from '../objects/git-object.ts'
import { createDelta } from './create-delta.ts'
import { OFS_DELTA, REF_DELTA, entryHeader, ofsHeader } from './pack-writer.ts'

/** Below this, zlib's own framing costs more than it saves: the data is stored, not deflated. */
const STORE_BELOW = 512
const FLUSH_AT = 1 << 20

/** A zlib stream of `data`: deflated, or for small data one stored block (no per-call zlib setup). */
function compress(data: Buffer): Buffer {
  if (data.length >= STORE_BELOW) return deflateSync(data, { level: 1 })
  let a = 1
  let b = 0
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]) % 65521
    b = (b + a) % 65521
  }
  const out = Buffer.alloc(2 + 5 + data.length + 4)
  out[0] = 0x78
  out[1] = 0x01
  out[2] = 0x01 // final block, stored
  out.writeUInt16LE(data.length, 3)
  out.writeUInt16LE(~data.length & 0xffff, 5)
  data.copy(out, 7)
  out.writeUInt32BE(((b << 16) | a) >>> 0, 7 + data.length)
  return out
}

/**
 * Pack entries written to a temporary file as objects come in, in any order, so a pack can be
 * built while its objects are still being found (the pack header needs the final count), then
 * streamed with its header and checksum. An object given a delta base that is already in the
 * spool (and not at the end of a long chain) is written as a delta when that is clearly smaller.
 *
 * @example
 * const spool = PackSpool.create()
 * spool.add(tree, previousVersionOfTree)
 * for await (const chunk of spool.stream()) res.write(chunk)
 */
export class PackSpool {
  readonly #dir: string
  readonly #fd: number
  readonly #ofsDelta: boolean
  #parts: Buffer[] = []
  #buffered = 0
  /** bytes written so far, counting the 12-byte header the stream will start with */
  #offset = 12
  readonly #written = new Map<string, { offset: number; depth: number }>()
  #disposed = false

  private constructor(ofsDelta: boolean) {
    this.#dir = mkdtempSync(join(tmpdir(), 'gitpg-pack-'))
    this.#fd = openSync(join(this.#dir, 'entries'), 'w+')
    this.#ofsDelta = ofsDelta
  }

  /** `ofsDelta: false` writes deltas by base id (for clients without the ofs-delta capability). */
  static create({ ofsDelta = true }: { ofsDelta?: boolean } = {}): PackSpool {
    return new PackSpool(ofsDelta)
  }

  get count(): number {
    return this.#written.size
  }

  has(oid: string): boolean {
    return this.#written.has(oid)
  }

  /** Writes `object` (once), as a delta against `base` when that pays. */
  add(object: GitObject, base?: GitObject | null): void {
    if (this.#written.has(object.oid)) return
    const start = this.#offset
    const from = base ? this.#written.get(base.oid) : undefined
    const delta =
      base && from && from.depth < MAX_DELTA_DEPTH
        ? createDelta(base.content, object.content)
        : null
    if (delta && base && from) {
      this.#write(entryHeader(this.#ofsDelta ? OFS_DELTA : REF_DELTA, delta.length))
      this.#write(this.#ofsDelta ? ofsHeader(start - from.offset) : Buffer.from(base.oid, 'hex'))
      this.#write(compress(delta))
      this.#written.set(object.oid, { offset: start, depth: from.depth + 1 })
    } else {
      this.#write(entryHeader(TYPE_CODE[object.type], object.content.length))
      this.#write(compress(object.content))
      this.#written.set(object.oid, { offset: start, depth: 0 })
    }
  }

  #write(b: Buffer) {
    this.#parts.push(b)
    this.#buffered += b.length
    this.#offset += b.length
    if (this.#buffered >= FLUSH_AT) this.#flush()
  }

  #flush() {
    if (this.#buffered === 0) return
    const data = Buffer.concat(this.#parts)
    let done = 0
    while (done < data.length) done += writeSync(this.#fd, data, done)
    this.#parts = []
    this.#buffered = 0
  }

  /** The pack: header, the spooled entries and the checksum; the spool is removed afterwards. */
  async *stream(chunkSize = 64 * 1024): AsyncGenerator<Buffer> {
    try {
      this.#flush()
      const hash = createHash('sha1')
      const header = Buffer.alloc(12)
      header.write('PACK', 0, 'latin1')
      header.writeUInt32BE(2, 4)
      header.writeUInt32BE(this.count, 8)
      hash.update(header)
      yield header
      const length = this.#offset - 12
      for (let at = 0; at < length; at += chunkSize) {
        const chunk = Buffer.allocUnsafe(Math.min(chunkSize, length - at))
        let got = 0
        while (got < chunk.length)
          got += readSync(this.#fd, chunk, got, chunk.length - got, at + got)
        hash.update(chunk)
        yield chunk
      }
      yield hash.digest()
    } finally {
      this.dispose()
    }
  }

  /** Removes the temporary file (also done when a stream ends or is abandoned). */
  dispose(): void {
    if (this.#disposed) return
    this.#disposed = true
    closeSync(this.#fd)
    rmSync(this.#dir, { recursive: true, force: true })
  }
}
