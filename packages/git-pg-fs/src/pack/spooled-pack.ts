import { closeSync, mkdtempSync, openSync, read, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Bytes already parsed are dropped from memory once this many have piled up in front. */
const COMPACT_AT = 4 << 20
/** A window up to this size is kept and reused, however little it holds. */
const KEEP_WINDOW = 8 << 20
/** A pack read from a file is read this many bytes at a time. */
const READ = 256 * 1024

/**
 * A pack arriving as a stream, written to a temporary file as it comes while memory holds only a
 * window from the entry being parsed to the last byte received: however large the pack, memory
 * holds about one entry's compressed bytes. An earlier entry (a delta base pushed out of the
 * base cache) is read back from the file by `range`. Offsets are absolute, from the pack's first
 * byte; `data[0]` is the byte at `base`.
 *
 * @example
 * const pack = new SpooledPack(request)
 * try { for await (const e of parsePackStream(pack)) ... } finally { pack.dispose() }
 */
export class SpooledPack {
  data = Buffer.allocUnsafe(1 << 16)
  /** absolute offset of `data[0]` */
  base = 0
  /** absolute offset just past the last byte received */
  length = 0
  ended = false
  /** null: the bytes are read from `#fd` straight into `data` */
  readonly #chunks: AsyncIterator<Uint8Array> | null
  #dir: string | null = null
  #fd = -1
  /** bytes received before `base` that are in the file */
  #written = 0
  /** the bytes come from this file already: nothing is written */
  readonly #source: boolean

  /**
   * The pack arrives as `source`'s chunks, or is the file `source.file`: read piece by piece
   * straight into memory's window, and earlier bytes read back from it (nothing is written).
   */
  constructor(source: AsyncIterable<Uint8Array> | { file: string }) {
    if ('file' in source) {
      this.#chunks = null
      this.#source = true
      this.#fd = openSync(source.file, 'r')
    } else {
      this.#chunks = source[Symbol.asyncIterator]()
      this.#source = false
    }
  }

  /** Waits for more bytes; false once the stream has ended. */
  async more(): Promise<boolean> {
    if (this.ended) return false
    if (!this.#chunks) return this.#readMore()
    const next = await this.#chunks.next()
    if (next.done) {
      this.ended = true
      return false
    }
    const chunk = next.value
    this.#room(chunk.length)
    this.data.set(chunk, this.length - this.base)
    this.length += chunk.length
    return true
  }

  async #readMore(): Promise<boolean> {
    this.#room(READ)
    const fd = this.#fd
    const at = this.length - this.base
    const n = await new Promise<number>((resolve, reject) =>
      read(fd, this.data, at, READ, this.length, (err, n) => (err ? reject(err) : resolve(n))),
    )
    if (n === 0) {
      this.ended = true
      return false
    }
    this.length += n
    return true
  }

  /** Makes room for `n` more bytes after the last one received. */
  #room(n: number) {
    const used = this.length - this.base
    if (used + n <= this.data.length) return
    let size = this.data.length * 2
    while (size < used + n) size *= 2
    const grown = Buffer.allocUnsafe(size)
    this.data.copy(grown, 0, 0, used)
    this.data = grown
  }

  /** Makes bytes up to absolute offset `n` available; false when the stream ends first. */
  async atLeast(n: number): Promise<boolean> {
    while (this.length < n) if (!(await this.more())) return false
    return true
  }

  /** The parser is done with bytes before `offset`: they go to the file and leave memory. */
  release(offset: number): void {
    if (offset - this.base < COMPACT_AT) return
    this.#spill(offset)
    const keep = this.length - offset
    const size = Math.max(1 << 16, 2 ** Math.ceil(Math.log2(keep + 1)))
    if (this.data.length > KEEP_WINDOW && size * 4 < this.data.length) {
      // a window grown for one large entry shrinks back
      const next = Buffer.allocUnsafe(size)
      this.data.copy(next, 0, offset - this.base, this.length - this.base)
      this.data = next
    } else this.data.copy(this.data, 0, offset - this.base, this.length - this.base)
    this.base = offset
  }

  /**
   * Bytes `[at, end)` of the pack, from memory or read back from the file; a view of memory is
   * good until the next `more` or `release`.
   */
  range(at: number, end: number): Buffer {
    if (at >= this.base) return this.data.subarray(at - this.base, end - this.base)
    const out = Buffer.allocUnsafe(end - at)
    const fromFile = Math.min(end, this.base) - at
    let got = 0
    while (got < fromFile) {
      const n = readSync(this.#fd, out, got, fromFile - got, at + got)
      if (n === 0) throw new Error('pack spool is shorter than what was written to it')
      got += n
    }
    if (end > this.base) this.data.copy(out, fromFile, 0, end - this.base)
    return out
  }

  #spill(offset: number) {
    if (this.#source) return
    if (this.#fd < 0) {
      this.#dir = mkdtempSync(join(tmpdir(), 'gitpg-push-'))
      this.#fd = openSync(join(this.#dir, 'pack'), 'w+')
    }
    const bytes = this.data.subarray(this.#written - this.base, offset - this.base)
    let done = 0
    while (done < bytes.length)
      done += writeSync(this.#fd, bytes, done, bytes.length - done, this.#written + done)
    this.#written = offset
  }

  /** Removes the temporary file. */
  dispose(): void {
    if (this.#fd >= 0) closeSync(this.#fd)
    this.#fd = -1
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true })
    this.#dir = null
  }
}
