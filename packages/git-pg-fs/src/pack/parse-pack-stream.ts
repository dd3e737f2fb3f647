import { createHash } from 'node:crypto'
import { BadPackError } from '../errors.ts'
import {
  inflateEntry,
  readEntryHeader,
  readPackHeader,
  TruncatedEntryError,
  type RawEntry,
} from './pack-entry.ts'

/** Bytes received so far, in one buffer that grows by doubling. */
export class ReceivedPack {
  data = Buffer.allocUnsafe(1 << 16)
  length = 0
  ended = false
  readonly #chunks: AsyncIterator<Uint8Array>

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.#chunks = chunks[Symbol.asyncIterator]()
  }

  /** Waits for more bytes; false once the stream has ended. */
  async more(): Promise<boolean> {
    if (this.ended) return false
    const next = await this.#chunks.next()
    if (next.done) {
      this.ended = true
      return false
    }
    const chunk = next.value
    if (this.length + chunk.length > this.data.length) {
      let size = this.data.length * 2
      while (size < this.length + chunk.length) size *= 2
      const grown = Buffer.allocUnsafe(size)
      this.data.copy(grown, 0, 0, this.length)
      this.data = grown
    }
    this.data.set(chunk, this.length)
    this.length += chunk.length
    return true
  }

  /** Makes at least `n` bytes available; false when the stream ends first. */
  async atLeast(n: number): Promise<boolean> {
    while (this.length < n) if (!(await this.more())) return false
    return true
  }
}

/**
 * Parses a packfile while it arrives, yielding each entry (inflated) as soon as its bytes are
 * in: the work overlaps the download. The trailing checksum is verified at the end, so a
 * consumer must treat everything yielded as provisional until the generator finishes (an
 * import does it all in one transaction). Throws `BadPackError` like `readPack`.
 */
export async function* parsePackStream(input: ReceivedPack): AsyncGenerator<RawEntry> {
  if (!(await input.atLeast(12))) throw new BadPackError('pack is truncated')
  const count = readPackHeader(input.data)
  const hash = createHash('sha1')
  let hashed = 0
  let i = 12
  for (let n = 0; n < count; n++) {
    let header = readEntryHeader(input.data, i, input.length)
    while (!header) {
      if (!(await input.more())) throw new BadPackError('pack is truncated')
      header = readEntryHeader(input.data, i, input.length)
    }
    // Retry a cut-short inflate only once a good deal more has arrived: large objects would
    // otherwise be inflated again for every network chunk.
    let tried = 0
    for (;;) {
      if (input.length > tried) {
        try {
          const { data, used } = inflateEntry(input.data, header.dataAt, input.length, header.size)
          header.entry.data = data
          i = header.dataAt + used
          break
        } catch (err) {
          if (!(err instanceof TruncatedEntryError)) throw err
          if (input.ended) throw new BadPackError('pack is truncated')
          tried = input.length
        }
      }
      const want = tried + Math.max(64 * 1024, (tried - header.dataAt) >> 2)
      if (!(await input.atLeast(want)) && input.length === tried)
        throw new BadPackError('pack is truncated')
    }
    hash.update(input.data.subarray(hashed, i))
    hashed = i
    yield header.entry
  }
  if (!(await input.atLeast(i + 20))) throw new BadPackError('pack is truncated')
  if (!hash.digest().equals(input.data.subarray(i, i + 20)))
    throw new BadPackError('pack checksum mismatch (truncated or corrupt)')
  while (!input.ended) await input.more()
  if (input.length !== i + 20) throw new BadPackError('pack has trailing garbage')
}
