import { constants, Inflate } from 'node:zlib'
import { BadPackError } from '../errors.ts'
import type { LargeBuffers } from './large-buffers.ts'
import type { InflateEngine } from './pack-entry.ts'

/**
 * Inflates one pack entry's zlib stream fed piece by piece as its bytes arrive, straight into one
 * buffer of the size the entry's header declares: a large object is inflated once, and its
 * compressed bytes need not all be in memory at the same time. Each entry has its own zlib engine
 * (the stream's state lives in it between pieces). Null where this Node's zlib objects lack the
 * handle used here.
 *
 * @example
 * const inflater = EntryInflater.open(size, offset)
 * try { while (!inflater.done) at += inflater.write(bytes, at, end) } finally { inflater.close() }
 */
export class EntryInflater {
  /** the stream has ended: `data` is the whole object */
  done = false
  readonly #engine: InflateEngine
  /** one byte to spare, so that too much output shows */
  readonly #out: Buffer
  readonly #size: number
  readonly #offset: number
  #produced = 0

  private constructor(engine: InflateEngine, size: number, offset: number, out: Buffer) {
    this.#engine = engine
    this.#size = size
    this.#offset = offset
    this.#out = out
  }

  /**
   * An inflater for the entry at `offset` declaring `size` bytes, or null (see above); its memory
   * comes from `buffers` when given.
   */
  static open(size: number, offset: number, buffers?: LargeBuffers): EntryInflater | null {
    const engine = new Inflate() as InflateEngine
    if (
      typeof engine._handle?.writeSync !== 'function' ||
      !(engine._writeState instanceof Uint32Array)
    ) {
      engine.close()
      return null
    }
    // a corrupt stream closes the engine and reports the error as an event: it is detected by
    // the closed handle
    engine.on('error', () => {})
    const out = buffers ? buffers.take(size + 1) : Buffer.allocUnsafeSlow(size + 1)
    return new EntryInflater(engine, size, offset, out)
  }

  /**
   * Feeds `input[from, to)`; returns how many bytes the stream took (fewer once it has ended:
   * the rest is the next entry). Throws `BadPackError` on corrupt data or a size other than the
   * declared one.
   */
  write(input: Buffer, from: number, to: number): number {
    const handle = this.#engine._handle
    if (!handle) throw new BadPackError(`object at ${this.#offset}: corrupt compressed data`)
    const space = this.#size + 1 - this.#produced
    handle.writeSync(
      constants.Z_SYNC_FLUSH,
      input,
      from,
      to - from,
      this.#out,
      this.#produced,
      space,
    )
    if (this.#engine._handle === null)
      throw new BadPackError(`object at ${this.#offset}: corrupt compressed data`)
    const [outLeft, inLeft] = this.#engine._writeState
    this.#produced += space - outLeft
    if (this.#produced > this.#size)
      throw new BadPackError(`object at ${this.#offset}: size mismatch`)
    // zlib leaves input over with output space to spare only at the stream's end
    if (inLeft > 0) {
      if (this.#produced !== this.#size)
        throw new BadPackError(`object at ${this.#offset}: size mismatch`)
      this.done = true
    }
    return to - from - inLeft
  }

  /** The inflated object (whole once `done`). */
  get data(): Buffer {
    return this.#out.subarray(0, this.#size)
  }

  /** Frees the zlib engine. */
  close(): void {
    this.#engine.close()
  }
}
