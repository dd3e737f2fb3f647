import { close, closeSync, mkdtempSync, openSync, readSync, rmSync, write } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const FLUSH_AT = 1 << 20
/** Bytes written in the background at most before `settle` holds the producer back. */
const IN_FLIGHT = 8 << 20

/**
 * Object contents appended to a temporary file, each under a number, and read back in the order
 * written: a pass over many objects that must be kept for later without holding them in memory.
 * Writes run in the background (libuv's threads), so the producer's thread keeps parsing.
 *
 * @example
 * const spool = RawSpool.create()
 * spool.add(7, tree.content)
 * await spool.settle()
 * await spool.finish()
 * for (const { n, content } of spool.read()) if (wanted(n)) send(content)
 */
export class RawSpool {
  readonly #dir: string
  readonly #fd: number
  #parts: Buffer[] = []
  #buffered = 0
  #numbers = new Int32Array(1024)
  #lengths = new Int32Array(1024)
  count = 0
  #disposed = false
  /** where the next write goes */
  #end = 0
  readonly #writes = new Set<Promise<void>>()
  #writing = 0
  #error: Error | null = null
  #finished = false

  private constructor() {
    this.#dir = mkdtempSync(join(tmpdir(), 'gitpg-spool-'))
    this.#fd = openSync(join(this.#dir, 'objects'), 'w+')
  }

  static create(): RawSpool {
    return new RawSpool()
  }

  add(n: number, content: Buffer): void {
    if (this.count === this.#numbers.length) {
      const numbers = new Int32Array(this.count * 2)
      numbers.set(this.#numbers)
      this.#numbers = numbers
      const lengths = new Int32Array(this.count * 2)
      lengths.set(this.#lengths)
      this.#lengths = lengths
    }
    this.#numbers[this.count] = n
    this.#lengths[this.count] = content.length
    this.count++
    this.#parts.push(content)
    this.#buffered += content.length
    if (this.#buffered >= FLUSH_AT) this.#flush()
  }

  #flush() {
    if (this.#buffered === 0) return
    const data = this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts)
    this.#parts = []
    this.#buffered = 0
    const position = this.#end
    this.#end += data.length
    this.#writing += data.length
    const done = new Promise<void>((resolve) => {
      const from = (at: number) =>
        write(this.#fd, data, at, data.length - at, position + at, (err, n) => {
          if (!err && at + n < data.length) return from(at + n)
          if (err) this.#error ??= err
          this.#writing -= data.length
          this.#writes.delete(done)
          resolve()
        })
      from(0)
    })
    this.#writes.add(done)
  }

  /** Waits while more than a few MB are still being written (call between batches). */
  async settle(limit = IN_FLIGHT): Promise<void> {
    while (this.#writing > limit) await Promise.race(this.#writes)
    if (this.#error) throw this.#error
  }

  /** Writes what is buffered and waits for every write: `read` may be called after it. */
  async finish(): Promise<void> {
    this.#flush()
    await this.settle(0)
    this.#finished = true
  }

  /**
   * The objects in the order added, read in windows of about `window` bytes; a content is valid
   * only until the next one is taken.
   */
  *read(window = 1 << 20): Generator<{ n: number; content: Buffer }> {
    if (!this.#finished) throw new Error('read before finish')
    let buf = Buffer.allocUnsafe(window)
    let bufStart = 0
    let bufEnd = 0
    let at = 0
    for (let k = 0; k < this.count; k++) {
      const length = this.#lengths[k]
      if (at + length > bufEnd) {
        if (length > buf.length) buf = Buffer.allocUnsafe(length)
        let got = 0
        while (got < buf.length) {
          const r = readSync(this.#fd, buf, got, buf.length - got, at + got)
          if (r === 0) break
          got += r
        }
        if (got < length) throw new Error('spool file is shorter than what was written to it')
        bufStart = at
        bufEnd = at + got
      }
      yield { n: this.#numbers[k], content: buf.subarray(at - bufStart, at - bufStart + length) }
      at += length
    }
  }

  /** Removes the temporary file (once writes still running are done). */
  dispose(): void {
    if (this.#disposed) return
    this.#disposed = true
    const remove = () => rmSync(this.#dir, { recursive: true, force: true })
    if (this.#writes.size === 0) {
      closeSync(this.#fd)
      remove()
      return
    }
    void Promise.allSettled(this.#writes).then(() => close(this.#fd, remove))
  }
}
