import { createHash } from 'node:crypto'
import { BadPackError } from '../errors.ts'
import {
  CODE_TYPE,
  hashObject,
  MAX_DELTA_DEPTH,
  type GitObject,
  type PackedForm,
} from '../objects/git-object.ts'
import { applyDelta } from './apply-delta.ts'
import {
  inflateEntry,
  OFS_DELTA,
  readEntryHeader,
  readPackHeader,
  REF_DELTA,
  TruncatedEntryError,
  type RawEntry,
} from './pack-entry.ts'
import { DeltaBases, type Resolved } from './delta-bases.ts'
import { LargeBuffers } from './large-buffers.ts'
import { checkDeltaSize, checkEntrySize } from './entry-size.ts'
import { parsePackStream } from './parse-pack-stream.ts'
import { SpooledPack } from './spooled-pack.ts'

const EMPTY = Buffer.alloc(0)

export interface ReadPackOptions {
  /** Looks up a delta base that is not in the pack (thin packs); returns null when unknown. */
  resolveBase?: (oid: string) => Promise<GitObject | null>
  /** objects larger than this are refused (`ObjectTooLargeError`) before they are inflated */
  maxObjectSize?: number
}

function* parseEntries(pack: Buffer, maxObjectSize: number): Generator<RawEntry> {
  if (pack.length < 32) throw new BadPackError('pack is truncated')
  const count = readPackHeader(pack)
  const end = pack.length - 20
  const sum = createHash('sha1').update(pack.subarray(0, end)).digest()
  if (!sum.equals(pack.subarray(end)))
    throw new BadPackError('pack checksum mismatch (truncated or corrupt)')
  let i = 12
  for (let n = 0; n < count; n++) {
    const header = readEntryHeader(pack, i, end)
    if (!header) throw new BadPackError('pack is truncated')
    checkEntrySize(header.entry, maxObjectSize)
    try {
      // the checksum follows the last entry (see `inflateEntry`)
      const { data, used } = inflateEntry(pack, header.dataAt, pack.length, header.size)
      header.entry.data = data
      i = header.dataAt + used
      header.entry.dataEnd = i
    } catch (err) {
      if (err instanceof TruncatedEntryError) throw new BadPackError('pack is truncated')
      throw err
    }
    yield header.entry
  }
  if (i !== end) throw new BadPackError('pack has trailing garbage')
}

/**
 * Parses a packfile and yields each object as soon as it is resolved (hashed, deltas applied):
 * whole objects and offset deltas in pack order, ref deltas once their base is known. A consumer
 * can store objects while the rest of the pack is still arriving and being inflated; memory for
 * delta bases stays bounded (see `DeltaBases`), and a streamed pack's bytes are spooled to a
 * temporary file (see `SpooledPack`). Throws `BadPackError` on any truncation, checksum mismatch,
 * corrupt data or unresolvable delta, `ObjectTooLargeError` past `maxObjectSize`.
 */
export async function* streamPack(
  pack: Buffer | AsyncIterable<Uint8Array> | { file: string },
  options: ReadPackOptions & {
    baseBudget?: number
    /**
     * Whole objects of at least this many bytes are lent: the consumer is done with one once it
     * asks for the next, and its memory goes to a later large object (see `LargeBuffers`).
     */
    lendAbove?: number
  } = {},
): AsyncGenerator<GitObject> {
  const maxObjectSize = options.maxObjectSize ?? Infinity
  const external = new Map<string, GitObject>()
  const bytes = Buffer.isBuffer(pack)
    ? { range: (at: number, end: number) => pack.subarray(at, end) }
    : new SpooledPack(pack)
  try {
    yield* resolveEntries({ pack, bytes, options, maxObjectSize, external })
  } finally {
    if (bytes instanceof SpooledPack) bytes.dispose()
  }
}

async function* resolveEntries({
  pack,
  bytes,
  options,
  maxObjectSize,
  external,
}: {
  pack: Buffer | AsyncIterable<Uint8Array> | { file: string }
  bytes: SpooledPack | { range: (at: number, end: number) => Buffer }
  options: ReadPackOptions & { baseBudget?: number; lendAbove?: number }
  maxObjectSize: number
  external: Map<string, GitObject>
}): AsyncGenerator<GitObject> {
  const bases = new DeltaBases({
    pack: bytes,
    budget: options.baseBudget,
    external: (oid) => external.get(oid),
  })
  const seen = new Set<number>()
  // the entry's compressed bytes, copied: a spooled pack's view is good only until it reads on
  const stored = (e: RawEntry) => Buffer.from(bytes.range(e.dataAt, e.dataEnd!))
  const resolve = (e: RawEntry, base: Resolved): GitObject => {
    // a delta that waited for its base left memory: inflated again from the pack's bytes
    const delta =
      e.data.length === e.size
        ? e.data
        : inflateEntry(bytes.range(e.dataAt, e.dataEnd! + 1), 0, e.dataEnd! + 1 - e.dataAt, e.size)
            .data
    checkDeltaSize(delta, maxObjectSize)
    const content = applyDelta(delta, base.content)
    const oid = hashObject(base.type, content)
    // kept as the pack has it when its base is in the pack and the chain stays within bounds;
    // a delta on a base outside the pack (thin) or too deep is left for the store to compress
    const chain = bases.baseOf(e)
    const depth = chain ? chain.depth + 1 : 0
    const packed: PackedForm | undefined =
      chain && depth <= MAX_DELTA_DEPTH ? { data: stored(e), base: chain.oid, depth } : undefined
    bases.add(e, oid, { type: base.type, content }, packed ? depth : 0)
    return packed ? { oid, type: base.type, content, packed } : { oid, type: base.type, content }
  }
  const baseOf = (e: RawEntry) =>
    e.baseOffset !== undefined ? bases.atOffset(e.baseOffset) : bases.byOid(e.baseOid!)

  let waiting: RawEntry[] = []
  const lendAbove = options.lendAbove ?? Infinity
  const buffers = new LargeBuffers()
  const entries =
    bytes instanceof SpooledPack
      ? parsePackStream(bytes, { maxObjectSize, buffers })
      : parseEntries(pack as Buffer, maxObjectSize)
  for await (const e of entries) {
    seen.add(e.offset)
    if (e.code !== OFS_DELTA && e.code !== REF_DELTA) {
      const type = CODE_TYPE[e.code]
      const oid = hashObject(type, e.data)
      const kept = bases.add(e, oid, { type, content: e.data })
      yield { oid, type, content: e.data, packed: { data: stored(e), base: null, depth: 0 } }
      // the consumer is done with a lent object, and memory does not hold it for the next one
      if (!kept && e.data.length >= lendAbove) buffers.give(e.data)
      e.data = EMPTY
      continue
    }
    if (e.baseOffset !== undefined && !seen.has(e.baseOffset))
      throw new BadPackError(`object at ${e.offset}: bad delta base offset`)
    let base = baseOf(e)
    // a thin pack's base outside the pack: looked up now rather than kept waiting
    if (!base && e.baseOid !== undefined && options.resolveBase && !external.has(e.baseOid)) {
      const found = await options.resolveBase(e.baseOid)
      if (found) external.set(found.oid, found)
      base = baseOf(e)
    }
    if (base) {
      yield resolve(e, base)
      e.data = EMPTY
    } else {
      // deltas whose base comes later wait as offsets only: memory does not grow with them
      e.data = EMPTY
      waiting.push(e)
    }
  }

  // Ref deltas on later objects, chains through them, and thin packs' bases outside the pack.
  while (waiting.length > 0) {
    const next: RawEntry[] = []
    for (const e of waiting) {
      let base = baseOf(e)
      if (!base && e.baseOid !== undefined && options.resolveBase && !external.has(e.baseOid)) {
        const found = await options.resolveBase(e.baseOid)
        if (found) external.set(found.oid, found)
        base = baseOf(e)
      }
      if (base) yield resolve(e, base)
      else next.push(e)
    }
    if (next.length === waiting.length) {
      const e = next[0]
      throw new BadPackError(
        `object at ${e.offset}: delta base ${e.baseOid ?? `at offset ${e.baseOffset}`} is missing`,
      )
    }
    waiting = next
  }
}

/** Parses a whole packfile into its objects (see `streamPack`). */
export async function readPack(pack: Buffer, options: ReadPackOptions = {}): Promise<GitObject[]> {
  const objects: GitObject[] = []
  for await (const o of streamPack(pack, options)) objects.push(o)
  return objects
}
