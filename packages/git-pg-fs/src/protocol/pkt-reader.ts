import { GitPgError } from '../errors.ts'
import type { Packet } from './pkt-line.ts'

/**
 * Reads pkt-lines one at a time from a byte stream, holding at most one chunk and one packet in
 * memory; what follows the packets (a pack) is then read on as raw bytes with `rest`.
 *
 * @example
 * const reader = new PktReader(request)
 * for (let p = await reader.next(); p !== null && p !== 'flush'; p = await reader.next()) ...
 * for await (const chunk of reader.rest()) ...
 */
export class PktReader {
  readonly #chunks: AsyncIterator<Uint8Array>
  #buf: Buffer = Buffer.alloc(0)
  #at = 0
  #ended = false

  constructor(stream: AsyncIterable<Uint8Array>) {
    this.#chunks = stream[Symbol.asyncIterator]()
  }

  async #fill(n: number): Promise<boolean> {
    while (this.#buf.length - this.#at < n) {
      if (this.#ended) return false
      const next = await this.#chunks.next()
      if (next.done) {
        this.#ended = true
        return false
      }
      const left = this.#buf.subarray(this.#at)
      this.#buf = left.length > 0 ? Buffer.concat([left, next.value]) : Buffer.from(next.value)
      this.#at = 0
    }
    return true
  }

  /** The next packet; null at the end of the stream. Throws `PROTOCOL_ERROR` on a bad one. */
  async next(): Promise<Packet | null> {
    if (!(await this.#fill(4))) {
      if (this.#buf.length > this.#at) throw new GitPgError('PROTOCOL_ERROR', 'truncated pkt-line')
      return null
    }
    const lenText = this.#buf.toString('latin1', this.#at, this.#at + 4)
    if (!/^[0-9a-f]{4}$/.test(lenText))
      throw new GitPgError('PROTOCOL_ERROR', 'malformed pkt-line length')
    const len = parseInt(lenText, 16)
    if (len < 4) {
      this.#at += 4
      if (len === 0) return 'flush'
      if (len === 1) return 'delim'
      if (len === 2) return 'response-end'
      throw new GitPgError('PROTOCOL_ERROR', 'malformed pkt-line length')
    }
    if (!(await this.#fill(len))) throw new GitPgError('PROTOCOL_ERROR', 'truncated pkt-line')
    const packet = Buffer.from(this.#buf.subarray(this.#at + 4, this.#at + len))
    this.#at += len
    return packet
  }

  /** The bytes after the packets read so far, to the end of the stream. */
  async *rest(): AsyncGenerator<Uint8Array> {
    if (this.#buf.length > this.#at) yield this.#buf.subarray(this.#at)
    this.#buf = Buffer.alloc(0)
    this.#at = 0
    if (this.#ended) return
    for (;;) {
      const next = await this.#chunks.next()
      if (next.done) break
      yield next.value
    }
    this.#ended = true
  }

  /** Reads and drops whatever is left of the stream (so the client is not cut off mid-send). */
  async drain(): Promise<void> {
    for await (const _ of this.rest());
  }
}
