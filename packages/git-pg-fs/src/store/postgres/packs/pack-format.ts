/**
 * A pack's bytes. `data` is its entries' zlib bytes one after another (each the whole object or a
 * git delta on another entry of the same pack), by type then id, so that a stream of one type
 * reads long runs of bytes. `idx` is `n` sorted 20-byte ids, then per id a
 * 17-byte record: offset and length in `data` (u32 each), the position of its delta base in the
 * index (u32, `WHOLE` when whole), its type (u8) and its inflated size (u32): 37 bytes an object,
 * all a read needs before it fetches a chain's byte ranges.
 */

/** The base position of a whole entry. */
export const WHOLE = 0xffffffff
/** Bytes of an index per object: the id and its record. */
export const INDEX_BYTES = 37
const RECORD = 17
/** Stored chains are at most this deep (git's default `pack.depth`). */
export const MAX_CHAIN = 50

/** One entry of a pack as written: see `PackEntryInput`. */
export interface PackEntry {
  oid: Buffer
  type: number
  size: number
  data: Buffer
  base: Buffer | null
}

/**
 * `entries` as a pack's index and data, sorted by id. Throws a TypeError when an id repeats, a
 * delta's base is not among the entries, or a chain is longer than `MAX_CHAIN` (or circular).
 *
 * @example
 * const { idx, data } = encodePack([{ oid, type: 3, size: 5, data: deflateSync(c), base: null }])
 */
export function encodePack(entries: readonly PackEntry[]): { idx: Buffer; data: Buffer } {
  const sorted = [...entries].sort((a, b) => Buffer.compare(a.oid, b.oid))
  const at = new Map<string, number>()
  sorted.forEach((e, i) => {
    if (e.oid.length !== 20) throw new TypeError('a pack entry id is 20 bytes')
    const key = e.oid.toString('hex')
    if (at.has(key)) throw new TypeError(`object ${key} is twice in one pack`)
    at.set(key, i)
  })
  const n = sorted.length
  const idx = Buffer.alloc(n * INDEX_BYTES)
  // positions in the order the data is laid out: by type, then id (a stable sort)
  const layout = sorted.map((_, i) => i).sort((a, b) => sorted[a].type - sorted[b].type)
  let offset = 0
  for (const i of layout) {
    const e = sorted[i]
    e.oid.copy(idx, i * 20)
    const r = n * 20 + i * RECORD
    const base = e.base === null ? WHOLE : at.get(e.base.toString('hex'))
    if (base === undefined)
      throw new TypeError(`the delta base ${e.base!.toString('hex')} is not in the pack`)
    idx.writeUInt32BE(offset, r)
    idx.writeUInt32BE(e.data.length, r + 4)
    idx.writeUInt32BE(base, r + 8)
    idx.writeUInt8(e.type, r + 12)
    idx.writeUInt32BE(e.size, r + 13)
    offset += e.data.length
  }
  checkChains(new PackIndex(idx))
  const data = Buffer.concat(
    layout.map((i) => sorted[i].data),
    offset,
  )
  return { idx, data }
}

/** Throws a TypeError when a chain is longer than `MAX_CHAIN` deltas (or circular). */
function checkChains(index: PackIndex): void {
  // each entry's depth, once: -1 not known yet, -2 being followed (a cycle when met again)
  const depth = new Int32Array(index.count).fill(-1)
  const trail: number[] = []
  for (let i = 0; i < index.count; i++) {
    let at = i
    while (depth[at] === -1) {
      depth[at] = -2
      trail.push(at)
      const base = index.entry(at).base
      if (base === WHOLE) break
      at = base
    }
    let below = depth[at] === -2 && index.entry(at).base !== WHOLE ? Infinity : depth[at]
    for (let t = trail.length - 1; t >= 0; t--) {
      const e = trail[t]
      below = index.entry(e).base === WHOLE ? 0 : below + 1
      if (below > MAX_CHAIN)
        throw new TypeError(`the delta chain of ${index.oid(e).toString('hex')} is too long`)
      depth[e] = below
    }
    trail.length = 0
  }
}

/** A pack's parsed index: look-ups by id with no copy of its bytes. */
export class PackIndex {
  readonly count: number
  readonly #idx: Buffer

  constructor(idx: Buffer) {
    if (idx.length % INDEX_BYTES !== 0) throw new TypeError('a pack index is 37 bytes an object')
    this.#idx = idx
    this.count = idx.length / INDEX_BYTES
  }

  /** Bytes this index holds. */
  get bytes(): number {
    return this.#idx.length
  }

  /** The position of `oid` (20 bytes), or -1. */
  find(oid: Buffer): number {
    // an id that is not 20 bytes (a short or malformed one asked for) is in no pack
    if (oid.length !== 20) return -1
    let lo = 0
    let hi = this.count - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const c = this.#idx.compare(oid, 0, 20, mid * 20, mid * 20 + 20)
      if (c === 0) return mid
      if (c > 0) hi = mid - 1
      else lo = mid + 1
    }
    return -1
  }

  /** The first position whose id is at least `prefix` (1 to 20 bytes). */
  lowerBound(prefix: Buffer): number {
    const k = prefix.length
    let lo = 0
    let hi = this.count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      // the id at `mid`'s first k bytes against the prefix
      if (this.#idx.compare(prefix, 0, k, mid * 20, mid * 20 + k) >= 0) hi = mid
      else lo = mid + 1
    }
    return lo
  }

  oid(i: number): Buffer {
    return this.#idx.subarray(i * 20, i * 20 + 20)
  }

  entry(i: number): { offset: number; length: number; base: number; type: number; size: number } {
    const r = this.count * 20 + i * RECORD
    const idx = this.#idx
    return {
      offset: idx.readUInt32BE(r),
      length: idx.readUInt32BE(r + 4),
      base: idx.readUInt32BE(r + 8),
      type: idx.readUInt8(r + 12),
      size: idx.readUInt32BE(r + 13),
    }
  }

  /** Where entry `i` starts in the data, and its length (no record object made). */
  offset(i: number): number {
    return this.#idx.readUInt32BE(this.count * 20 + i * RECORD)
  }

  length(i: number): number {
    return this.#idx.readUInt32BE(this.count * 20 + i * RECORD + 4)
  }

  type(i: number): number {
    return this.#idx.readUInt8(this.count * 20 + i * RECORD + 12)
  }
}
