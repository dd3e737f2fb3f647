/** Bytes of a block the middle matcher indexes and looks up. */
const BLOCK = 16
/** Middles larger than this are inserted literally rather than indexed (rare, and costly). */
const MAX_MIDDLE = 4 * 1024 * 1024

/** A size in a delta's header: seven bits a byte, least significant first. */
export function deltaVarint(n: number): number[] {
  const bytes: number[] = []
  do {
    let byte = n & 0x7f
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    bytes.push(byte)
  } while (n > 0)
  return bytes
}

class DeltaWriter {
  readonly #parts: Buffer[] = []
  #current: number[] = []
  size = 0

  #push(bytes: number[]) {
    for (const b of bytes) this.#current.push(b)
    this.size += bytes.length
    if (this.#current.length > 4096) this.#flush()
  }

  #flush() {
    if (this.#current.length > 0) this.#parts.push(Buffer.from(this.#current))
    this.#current = []
  }

  varint(n: number) {
    this.#push(deltaVarint(n))
  }

  copy(offset: number, length: number) {
    while (length > 0) {
      const n = Math.min(length, 0xffffff)
      const bytes = [0x80]
      for (let b = 0; b < 4; b++) {
        const v = Math.floor(offset / 2 ** (8 * b)) & 0xff
        if (v !== 0) {
          bytes[0] |= 1 << b
          bytes.push(v)
        }
      }
      for (let b = 0; b < 3; b++) {
        const v = (n >> (8 * b)) & 0xff
        if (v !== 0) {
          bytes[0] |= 1 << (4 + b)
          bytes.push(v)
        }
      }
      this.#push(bytes)
      offset += n
      length -= n
    }
  }

  insert(data: Buffer, from: number, to: number) {
    for (let i = from; i < to; i += 127) {
      const end = Math.min(to, i + 127)
      this.#flush()
      this.#parts.push(Buffer.from([end - i]), data.subarray(i, end))
      this.size += 1 + end - i
    }
  }

  toBuffer(): Buffer {
    this.#flush()
    return Buffer.concat(this.#parts)
  }
}

function commonPrefix(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length)
  let i = 0
  // memcmp whole blocks while they match, then find the first difference byte by byte
  for (const step of [4096, 256, 16]) {
    while (i + step <= n && a.compare(b, i, i + step, i, i + step) === 0) i += step
  }
  while (i < n && a[i] === b[i]) i++
  return i
}

function commonSuffix(a: Buffer, b: Buffer, limit: number): number {
  let i = 0
  const al = a.length
  const bl = b.length
  for (const step of [4096, 256, 16]) {
    while (i + step <= limit && a.compare(b, bl - i - step, bl - i, al - i - step, al - i) === 0)
      i += step
  }
  while (i < limit && a[al - 1 - i] === b[bl - 1 - i]) i++
  return i
}

const hashBlock = (buf: Buffer, at: number) => {
  let h = 0
  for (let k = 0; k < BLOCK; k++) h = (Math.imul(h, 31) + buf[at + k]) | 0
  return h
}

/**
 * Encodes `target` as a git delta against `base`: the common prefix and suffix are copied, and in
 * the middle, blocks of the base found again in the target are copied too (a tree with one entry
 * changed, or a file with a few edited hunks, becomes a few dozen bytes). Returns null when the
 * delta would not be clearly smaller than the target itself.
 *
 * @example
 * const delta = createDelta(oldTree, newTree) // applyDelta(delta, oldTree) equals newTree
 */
export function createDelta(base: Buffer, target: Buffer): Buffer | null {
  const out = new DeltaWriter()
  out.varint(base.length)
  out.varint(target.length)
  const prefix = commonPrefix(base, target)
  const suffix = commonSuffix(base, target, Math.min(base.length, target.length) - prefix)
  if (prefix > 0) out.copy(0, prefix)
  const baseEnd = base.length - suffix
  const targetEnd = target.length - suffix
  if (targetEnd - prefix > MAX_MIDDLE || baseEnd - prefix < BLOCK * 4) {
    out.insert(target, prefix, targetEnd)
  } else {
    encodeMiddle(out, base, prefix, baseEnd, target, prefix, targetEnd)
  }
  if (suffix > 0) out.copy(baseEnd, suffix)
  if (out.size >= target.length / 2) return null
  return out.toBuffer()
}

/** Copies the blocks of base[bFrom, bTo) found in target[tFrom, tTo), inserting the rest. */
function encodeMiddle(
  out: DeltaWriter,
  base: Buffer,
  bFrom: number,
  bTo: number,
  target: Buffer,
  tFrom: number,
  tTo: number,
) {
  const index = new Map<number, number>()
  for (let at = bFrom; at + BLOCK <= bTo; at += BLOCK) {
    const h = hashBlock(base, at)
    if (!index.has(h)) index.set(h, at)
  }
  let literal = tFrom
  let i = tFrom
  while (i + BLOCK <= tTo) {
    const at = index.get(hashBlock(target, i))
    if (at === undefined || base.compare(target, i, i + BLOCK, at, at + BLOCK) !== 0) {
      i++
      continue
    }
    let start = at
    let from = i
    // extend backwards over bytes not yet emitted, then forwards
    while (from > literal && start > bFrom && base[start - 1] === target[from - 1]) {
      start--
      from--
    }
    let end = at + BLOCK
    let to = i + BLOCK
    while (to < tTo && end < bTo && base[end] === target[to]) {
      end++
      to++
    }
    if (from > literal) out.insert(target, literal, from)
    out.copy(start, end - start)
    literal = to
    i = to
  }
  if (tTo > literal) out.insert(target, literal, tTo)
}
