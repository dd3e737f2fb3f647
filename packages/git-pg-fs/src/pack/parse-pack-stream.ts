import { createHash } from 'node:crypto'
import { BadPackError } from '../errors.ts'
import {
  inflateEntry,
  readEntryHeader,
  readPackHeader,
  TruncatedEntryError,
  type RawEntry,
} from './pack-entry.ts'
import { checkEntrySize } from './entry-size.ts'
import { EntryInflater } from './entry-inflater.ts'
import type { LargeBuffers } from './large-buffers.ts'
import type { SpooledPack } from './spooled-pack.ts'

/** Entries declaring this many bytes or more are inflated as their bytes arrive. */
const STREAM_AT = 1 << 20

/**
 * Inflates a large entry whose data starts at `at` piece by piece, the bytes it has taken leaving
 * memory as it goes (`hashed` is told of them first); returns where its data ends.
 */
async function inflateStreamed(
  input: SpooledPack,
  inflater: EntryInflater,
  at: number,
  hashed: (upTo: number) => void,
): Promise<number> {
  for (;;) {
    if (input.length > at)
      at += inflater.write(input.data, at - input.base, input.length - input.base)
    if (inflater.done) return at
    hashed(at)
    input.release(at)
    if (!(await input.more())) throw new BadPackError('pack is truncated')
  }
}

/**
 * Parses a packfile while it arrives, yielding each entry (inflated) as soon as its bytes are
 * in: the work overlaps the download. Bytes of entries already parsed leave memory for the
 * pack's spool file. The trailing checksum is verified at the end, so a consumer must treat
 * everything yielded as provisional until the generator finishes (an import does it all in one
 * transaction). An entry declaring more than `maxObjectSize` bytes is refused from its header,
 * before it is inflated (`ObjectTooLargeError`). Throws `BadPackError` like `readPack`.
 */
export async function* parsePackStream(
  input: SpooledPack,
  {
    maxObjectSize = Infinity,
    buffers,
  }: {
    maxObjectSize?: number
    /** where large entries' memory comes from */
    buffers?: LargeBuffers
  } = {},
): AsyncGenerator<RawEntry> {
  if (!(await input.atLeast(12))) throw new BadPackError('pack is truncated')
  const count = readPackHeader(input.range(0, 12))
  const hash = createHash('sha1')
  let hashed = 0
  let i = 12
  for (let n = 0; n < count; n++) {
    input.release(i)
    let header = readEntryHeader(input.data, i - input.base, input.length - input.base)
    while (!header) {
      if (!(await input.more())) throw new BadPackError('pack is truncated')
      header = readEntryHeader(input.data, i - input.base, input.length - input.base)
    }
    // offsets in the header are relative to the window: made absolute
    const shift = input.base
    header.entry.offset += shift
    header.entry.dataAt += shift
    if (header.entry.baseOffset !== undefined) header.entry.baseOffset += shift
    header.dataAt += shift
    checkEntrySize(header.entry, maxObjectSize)
    const streamed =
      header.size >= STREAM_AT
        ? EntryInflater.open(header.size, header.entry.offset, buffers)
        : null
    if (streamed) {
      try {
        i = await inflateStreamed(input, streamed, header.dataAt, (at) => {
          hash.update(input.range(hashed, at))
          hashed = at
        })
      } finally {
        streamed.close()
      }
      header.entry.data = streamed.data
      header.entry.dataEnd = i
      hash.update(input.range(hashed, i))
      hashed = i
      yield header.entry
      continue
    }
    // Retry a cut-short inflate only once a good deal more has arrived: large objects would
    // otherwise be inflated again for every network chunk.
    let tried = 0
    for (;;) {
      if (input.length > tried) {
        try {
          const { data, used } = inflateEntry(
            input.data,
            header.dataAt - input.base,
            input.length - input.base,
            header.size,
          )
          header.entry.data = data
          i = header.dataAt + used
          header.entry.dataEnd = i
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
    hash.update(input.range(hashed, i))
    hashed = i
    yield header.entry
  }
  if (!(await input.atLeast(i + 20))) throw new BadPackError('pack is truncated')
  hash.update(input.range(hashed, i))
  if (!hash.digest().equals(input.range(i, i + 20)))
    throw new BadPackError('pack checksum mismatch (truncated or corrupt)')
  while (!input.ended) await input.more()
  if (input.length !== i + 20) throw new BadPackError('pack has trailing garbage')
}
