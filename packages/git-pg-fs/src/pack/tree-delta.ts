/** Equal runs shorter than this are cheaper inserted than copied (a copy takes up to 8 bytes). */
const MIN_COPY = 16
/** git's default pack.depth: longer chains are cut so that reading old trees stays quick. */
const MAX_DEPTH = 50

function varint(out: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n & 0x7f) | 0x80
    n = Math.floor(n / 128)
  }
  out[at++] = n
  return at
}

function copyOp(out: Buffer, at: number, offset: number, size: number): number {
  while (size > 0) {
    const n = Math.min(size, 0xffff)
    const op = at++
    let flags = 0x80
    for (let b = 0; b < 4; b++) {
      const v = Math.floor(offset / 2 ** (8 * b)) & 0xff
      if (v !== 0) {
        flags |= 1 << b
        out[at++] = v
      }
    }
    for (let b = 0; b < 2; b++) {
      const v = (n >> (8 * b)) & 0xff
      if (v !== 0) {
        flags |= 0x10 << b
        out[at++] = v
      }
    }
    out[op] = flags
    offset += n
    size -= n
  }
  return at
}

function insertOp(out: Buffer, at: number, data: Buffer, from: number, to: number): number {
  for (let i = from; i < to; i += 127) {
    const n = Math.min(127, to - i)
    out[at++] = n
    data.copy(out, at, i, i + n)
    at += n
  }
  return at
}

/**
 * A git delta from `base` to `target` when both have the same length and differ in a few places
 * (a tree whose names are unchanged and whose entries point at new versions): equal runs are
 * copied, the rest inserted, in one linear pass. Null when that is not clearly smaller.
 */
export function alignedDelta(base: Buffer, target: Buffer): Buffer | null {
  const len = target.length
  if (base.length !== len || len < 64) return null
  const limit = len >> 1
  const out = Buffer.allocUnsafe(limit + 64)
  let at = varint(out, varint(out, 0, len), len)
  let literal = 0
  let i = 0
  while (i < len) {
    if (base[i] !== target[i]) {
      i++
      continue
    }
    let k = i + 1
    while (k < len && base[k] === target[k]) k++
    if (k - i >= MIN_COPY || (k === len && literal === i)) {
      // worst case of what this adds: the pending insert, and a copy op per 64 KB
      if (
        at + (i - literal) + Math.ceil((i - literal) / 127) + 8 * Math.ceil((k - i) / 0xffff) >
        limit
      )
        return null
      at = insertOp(out, at, target, literal, i)
      at = copyOp(out, at, i, k - i)
      literal = k
    }
    i = k
  }
  if (at + (len - literal) + Math.ceil((len - literal) / 127) > limit) return null
  at = insertOp(out, at, target, literal, len)
  return out.subarray(0, at)
}

interface Base {
  content: Buffer
  /** where its entry starts in the pack */
  offset: number
  /** its object number (for a ref-delta's base id) */
  n: number
  depth: number
}

/**
 * The last tree sent for each key (a hash of its entry names), to deltify the next tree with the
 * same names against: the previous version of a directory. Least recently used keys go beyond
 * `budget` bytes of content.
 */
export class TreeBases {
  readonly #bases = new Map<number, Base>()
  readonly #budget: number
  #bytes = 0

  constructor(budget = 32 * 1024 * 1024) {
    this.#budget = budget
  }

  /** The base for a tree with `key`, if one was sent and its chain may grow. */
  get(key: number): Base | undefined {
    const base = this.#bases.get(key)
    return base && base.depth < MAX_DEPTH ? base : undefined
  }

  /** Records the tree just sent under `key` (its content is copied). */
  set(key: number, { content, offset, n, depth }: Base): void {
    const old = this.#bases.get(key)
    if (old) this.#bases.delete(key)
    if (old && old.content.length === content.length) {
      // the usual case (a delta needs equal lengths): reuse the record and its buffer
      content.copy(old.content)
      old.offset = offset
      old.n = n
      old.depth = depth
      this.#bases.set(key, old)
      return
    }
    if (old) this.#bytes -= old.content.length
    const copy = Buffer.allocUnsafe(content.length)
    content.copy(copy)
    this.#bases.set(key, { content: copy, offset, n, depth })
    this.#bytes += copy.length
    if (this.#bytes <= this.#budget) return
    for (const [k, b] of this.#bases) {
      if (this.#bytes <= this.#budget) break
      this.#bases.delete(k)
      this.#bytes -= b.content.length
    }
  }
}
