/**
 * A set of raw 20-byte object ids in one growing buffer (open addressing): membership of an id
 * read straight out of a tree object costs no string and no allocation, which matters when a walk
 * looks at millions of tree entries.
 */
export class OidSet {
  #keys: Buffer
  #used: Uint8Array
  #mask: number
  size = 0

  /** The set of the ids `ids` holds, 20 bytes each, one after another. */
  static fromRaw(ids: Buffer): OidSet {
    const set = new OidSet(ids.length / 20)
    for (let at = 0; at < ids.length; at += 20) set.addRaw(ids, at)
    return set
  }

  constructor(capacity = 1 << 14) {
    let n = 16
    while (n < capacity * 2) n *= 2
    this.#keys = Buffer.alloc(n * 20)
    this.#used = new Uint8Array(n)
    this.#mask = n - 1
  }

  /** The slot holding the id at `buf[at..at+20)`, or the empty slot where it would go. */
  #slot(buf: Buffer, at: number): number {
    const keys = this.#keys
    let i = (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24)) & this.#mask
    for (;;) {
      if (!this.#used[i]) return i
      const k = i * 20
      let same = true
      for (let j = 0; j < 20; j++) {
        if (keys[k + j] !== buf[at + j]) {
          same = false
          break
        }
      }
      if (same) return i
      i = (i + 1) & this.#mask
    }
  }

  hasRaw(buf: Buffer, at: number): boolean {
    return this.#used[this.#slot(buf, at)] === 1
  }

  /** Adds the id; false when it was there already. */
  addRaw(buf: Buffer, at: number): boolean {
    const i = this.#slot(buf, at)
    if (this.#used[i]) return false
    buf.copy(this.#keys, i * 20, at, at + 20)
    this.#used[i] = 1
    this.size++
    if (this.size * 2 > this.#mask) this.#grow()
    return true
  }

  has(hex: string): boolean {
    return this.hasRaw(Buffer.from(hex, 'hex'), 0)
  }

  add(hex: string): boolean {
    return this.addRaw(Buffer.from(hex, 'hex'), 0)
  }

  #grow() {
    const keys = this.#keys
    const used = this.#used
    const n = used.length * 2
    this.#keys = Buffer.alloc(n * 20)
    this.#used = new Uint8Array(n)
    this.#mask = n - 1
    this.size = 0
    for (let i = 0; i < used.length; i++) if (used[i]) this.addRaw(keys, i * 20)
  }
}
