import { BadPackError } from '../errors.ts'
import type { ObjectType } from '../objects/git-object.ts'
import { applyDelta } from './apply-delta.ts'
import { inflateEntry, type RawEntry } from './pack-entry.ts'

export interface Resolved {
  type: ObjectType
  content: Buffer
}

/** The bytes of a pack read so far (a whole pack, or one still arriving). */
export interface PackBytes {
  /** bytes `[at, end)`, by absolute offset */
  range(at: number, end: number): Buffer
}

interface Known {
  oid: string
  /** deltas deep as stored (0: whole; deltas on bases outside the pack count as whole) */
  depth: number
  type: ObjectType
  dataAt: number
  dataEnd: number
  size: number
  whole: boolean
  baseOffset?: number
  baseOid?: string
}

/**
 * The resolved objects of a pack that later deltas may use as bases. Contents are kept in two
 * generations bounded in bytes (an approximate least-recently-used set: a new or used content
 * goes to the young one; when it fills, the old one is dropped and the young one becomes old),
 * so keeping and finding are constant time. One pushed out is rebuilt from the pack's own bytes
 * (inflated again, its own base rebuilt the same way) when a delta needs it. Memory stays within
 * the budget however large the pack, while git's pack order (bases shortly before their deltas)
 * keeps rebuilds rare.
 */
export class DeltaBases {
  readonly #pack: PackBytes
  readonly #budget: number
  readonly #external: (oid: string) => Resolved | undefined
  readonly #known = new Map<number, Known>()
  /** ids and offsets in pack order; made into `#offsetOf` only if a ref delta needs it */
  readonly #ids: { oid: string; offset: number }[] = []
  #offsetOf: Map<string, number> | null = null
  #young = new Map<number, Buffer>()
  #old = new Map<number, Buffer>()
  #youngBytes = 0

  constructor({
    pack,
    budget = 96 * 1024 * 1024,
    external = () => undefined,
  }: {
    pack: PackBytes
    budget?: number
    /** bases outside the pack (thin packs) */
    external?: (oid: string) => Resolved | undefined
  }) {
    this.#pack = pack
    this.#budget = budget
    this.#external = external
  }

  /** Records a resolved entry and keeps its content while the budget allows (then true). */
  add(entry: RawEntry, oid: string, resolved: Resolved, depth = 0): boolean {
    this.#known.set(entry.offset, {
      oid,
      depth,
      type: resolved.type,
      dataAt: entry.dataAt,
      dataEnd: entry.dataEnd ?? entry.dataAt,
      size: entry.size,
      whole: entry.baseOffset === undefined && entry.baseOid === undefined,
      baseOffset: entry.baseOffset,
      baseOid: entry.baseOid,
    })
    if (this.#offsetOf) {
      if (!this.#offsetOf.has(oid)) this.#offsetOf.set(oid, entry.offset)
    } else this.#ids.push({ oid, offset: entry.offset })
    return this.#keep(entry.offset, resolved.content)
  }

  /** The object at `offset`, or undefined when it is not resolved (yet). */
  atOffset(offset: number): Resolved | undefined {
    const known = this.#known.get(offset)
    if (!known) return undefined
    let content = this.#young.get(offset)
    if (!content) {
      content = this.#old.get(offset)
      if (content) this.#old.delete(offset)
      else content = this.#rebuild(known)
      this.#keep(offset, content)
    }
    return { type: known.type, content }
  }

  /** The id and stored depth of the resolved pack object a delta entry builds on. */
  baseOf(entry: RawEntry): { oid: string; depth: number } | undefined {
    const offset =
      entry.baseOffset ?? (entry.baseOid === undefined ? undefined : this.#offsetFor(entry.baseOid))
    const known = offset === undefined ? undefined : this.#known.get(offset)
    return known && { oid: known.oid, depth: known.depth }
  }

  #offsetFor(oid: string): number | undefined {
    if (!this.#offsetOf) {
      this.#offsetOf = new Map()
      for (const { oid, offset } of this.#ids)
        if (!this.#offsetOf.has(oid)) this.#offsetOf.set(oid, offset)
      this.#ids.length = 0
    }
    return this.#offsetOf.get(oid)
  }

  /** The object with id `oid`, in the pack or outside it (thin packs), if resolved. */
  byOid(oid: string): Resolved | undefined {
    const offset = this.#offsetFor(oid)
    return offset === undefined ? this.#external(oid) : this.atOffset(offset)
  }

  #rebuild(known: Known): Buffer {
    // a byte past the stream: zlib cannot tell a stream that ends at the limit from a cut one
    const bytes = this.#pack.range(known.dataAt, known.dataEnd + 1)
    const { data } = inflateEntry(bytes, 0, bytes.length, known.size)
    if (known.whole) return data
    const base =
      known.baseOffset !== undefined ? this.atOffset(known.baseOffset) : this.byOid(known.baseOid!)
    if (!base) throw new BadPackError('delta base vanished while resolving')
    return applyDelta(data, base.content)
  }

  #keep(offset: number, content: Buffer): boolean {
    if (content.length > this.#budget / 4) return false
    const before = this.#young.get(offset)
    if (before) this.#youngBytes -= before.length
    this.#young.set(offset, content)
    this.#youngBytes += content.length
    if (this.#youngBytes > this.#budget / 2) {
      this.#old = this.#young
      this.#young = new Map()
      this.#youngBytes = 0
    }
    return true
  }
}
