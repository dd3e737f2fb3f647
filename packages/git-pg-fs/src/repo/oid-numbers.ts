const NONE = -1

const CACHE_SLOTS = 1 << 14

/** The id at `buf[at..at+20)` as five int32 words. */
const word = (buf: Uint8Array, at: number) =>
  buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24)

/**
 * Gives every object id it sees a dense number, in a few flat arrays: ids straight out of tree
 * objects cost no string and no allocation. A table of 6 words a slot (the id, its number) keeps
 * a look-up to one memory access, and a small direct-mapped cache in front of it catches the
 * entries a tree shares with the trees read just before it (most of them).
 *
 * @example
 * const ids = new OidNumbers()
 * const n = ids.number(tree, at) // 0, 1, 2... in the order ids are first seen
 */
export class OidNumbers {
  /** the id numbered `n` at `n * 20` */
  keys: Buffer
  #table: Int32Array
  #mask: number
  readonly #cache = new Int32Array(6 * CACHE_SLOTS).fill(NONE)
  size = 0

  /** `expected`: about how many ids there will be, so that the table need not grow. */
  constructor(expected = 1024) {
    let slots = 2048
    while (slots < expected * 2 + 2) slots *= 2
    this.keys = Buffer.alloc(20 * Math.max(1024, expected))
    this.#table = new Int32Array(6 * slots).fill(NONE)
    this.#mask = slots - 1
  }

  /**
   * `number` for an id not expected to come again soon (each id of a stream of rows): the table
   * alone, without the cache.
   */
  add(buf: Uint8Array, at: number): number {
    return this.#lookup(buf, at, word(buf, at), word(buf, at + 4))
  }

  /** The number of the id at `buf[at..at+20)`, given one if it has none. */
  number(buf: Uint8Array, at: number): number {
    const k0 = word(buf, at)
    const k1 = word(buf, at + 4)
    const cache = this.#cache
    const c = ((k0 >>> 16) & (CACHE_SLOTS - 1)) * 6
    if (cache[c] === k0 && cache[c + 1] === k1) {
      if (
        cache[c + 2] === word(buf, at + 8) &&
        cache[c + 3] === word(buf, at + 12) &&
        cache[c + 4] === word(buf, at + 16)
      )
        return cache[c + 5]
    }
    const n = this.#lookup(buf, at, k0, k1)
    cache[c] = k0
    cache[c + 1] = k1
    cache[c + 2] = word(buf, at + 8)
    cache[c + 3] = word(buf, at + 12)
    cache[c + 4] = word(buf, at + 16)
    cache[c + 5] = n
    return n
  }

  #lookup(buf: Uint8Array, at: number, k0: number, k1: number): number {
    const table = this.#table
    const mask = this.#mask
    for (let i = k0 & mask; ; i = (i + 1) & mask) {
      const s = i * 6
      const n = table[s + 5]
      if (n === NONE) return this.#insert(s, buf, at)
      if (
        table[s] === k0 &&
        table[s + 1] === k1 &&
        table[s + 2] === word(buf, at + 8) &&
        table[s + 3] === word(buf, at + 12) &&
        table[s + 4] === word(buf, at + 16)
      )
        return n
    }
  }

  #insert(s: number, buf: Uint8Array, at: number): number {
    const n = this.size++
    const table = this.#table
    for (let w = 0; w < 5; w++) table[s + w] = word(buf, at + 4 * w)
    table[s + 5] = n
    if (this.keys.length < this.size * 20) {
      const keys = Buffer.alloc(this.keys.length * 2)
      this.keys.copy(keys)
      this.keys = keys
    }
    this.keys.set(buf.subarray(at, at + 20), n * 20)
    if (this.size * 2 > this.#mask) this.#grow()
    return n
  }

  /** The number of the id at `buf[at..at+20)`, or -1. */
  find(buf: Uint8Array, at: number): number {
    const k0 = word(buf, at)
    const table = this.#table
    for (let i = k0 & this.#mask; ; i = (i + 1) & this.#mask) {
      const s = i * 6
      const n = table[s + 5]
      if (n === NONE) return NONE
      if (
        table[s] === k0 &&
        table[s + 1] === word(buf, at + 4) &&
        table[s + 2] === word(buf, at + 8) &&
        table[s + 3] === word(buf, at + 12) &&
        table[s + 4] === word(buf, at + 16)
      )
        return n
    }
  }

  hex(n: number): string {
    return this.keys.toString('hex', n * 20, n * 20 + 20)
  }

  #grow() {
    const old = this.#table
    const slots = (this.#mask + 1) * 2
    const table = new Int32Array(slots * 6).fill(NONE)
    const mask = slots - 1
    for (let s = 0; s < old.length; s += 6) {
      if (old[s + 5] === NONE) continue
      let i = old[s] & mask
      while (table[i * 6 + 5] !== NONE) i = (i + 1) & mask
      table.set(old.subarray(s, s + 6), i * 6)
    }
    this.#table = table
    this.#mask = mask
  }
}
