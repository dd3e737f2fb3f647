/**
 * Memory for large inflated objects, given back once their consumer is done with them so that
 * the next large object reuses it. V8 frees a large buffer only at its next collection, which
 * comes late: a pack of many large objects read one after the other would otherwise hold the
 * memory of several at once. One spare is kept, the largest given back.
 *
 * @example
 * const buffers = new LargeBuffers()
 * const out = buffers.take(size)
 * ... // once `out` is no longer used anywhere
 * buffers.give(out)
 */
export class LargeBuffers {
  #spare: ArrayBuffer | null = null
  /** memory `take` made: only that is taken back (never a pool slab other buffers share) */
  readonly #made = new WeakSet<ArrayBufferLike>()

  /** `size` bytes: the spare's when it is large enough (and not twice too large), or new ones. */
  take(size: number): Buffer {
    const spare = this.#spare
    if (spare && spare.byteLength >= size && spare.byteLength <= size * 2) {
      this.#spare = null
      return Buffer.from(spare, 0, size)
    }
    const made = Buffer.allocUnsafeSlow(size)
    this.#made.add(made.buffer)
    return made
  }

  /** Gives back memory from `take` that nothing uses any more (other memory is ignored). */
  give(bytes: Buffer): void {
    const memory = bytes.buffer
    if (!(memory instanceof ArrayBuffer) || !this.#made.has(memory)) return
    if (!this.#spare || memory.byteLength > this.#spare.byteLength) this.#spare = memory
  }
}
