/**
 * git's content fingerprint for rename detection (diffcore-delta.c): the content is cut into
 * chunks ending at a newline or after 64 bytes, each chunk hashed into one of HASHBASE buckets,
 * and every bucket counts the bytes of its chunks. A trailing chunk without a newline that is
 * shorter than 64 bytes is not counted, as in git; in text (no NUL in the first 8000 bytes) the CR
 * of a CRLF is skipped.
 */
export interface SpanCounts {
  /** bucket ids, ascending */
  readonly hashes: Uint32Array
  /** bytes counted in each bucket */
  readonly counts: Uint32Array
}

/** A prime between 2^16 and 2^17, as in git. */
const HASHBASE = 107927
/** git's `FIRST_FEW_BYTES`: a NUL among them makes the content binary. */
const FIRST_FEW_BYTES = 8000

// one scratch table reused by every call: the counting is synchronous
const scratch = new Uint32Array(HASHBASE)

/** Whether git calls `content` binary (a NUL byte in its first 8000 bytes). */
export function isBinaryContent(content: Uint8Array): boolean {
  return content.subarray(0, FIRST_FEW_BYTES).includes(0)
}

/**
 * The fingerprint of `content`.
 *
 * @example
 * const copied = copiedBytes(spanCounts(oldBlob), spanCounts(newBlob))
 */
export function spanCounts(content: Uint8Array): SpanCounts {
  const isText = !isBinaryContent(content)
  const touched: number[] = []
  let n = 0
  let accum1 = 0
  let accum2 = 0
  const size = content.length
  for (let i = 0; i < size; i++) {
    const c = content[i]
    if (isText && c === 13 && i + 1 < size && content[i + 1] === 10) continue
    const old1 = accum1
    accum1 = ((accum1 << 7) ^ (accum2 >>> 25)) >>> 0
    accum2 = ((accum2 << 7) ^ (old1 >>> 25)) >>> 0
    accum1 = (accum1 + c) >>> 0
    if (++n < 64 && c !== 10) continue
    const hash = ((accum1 + (Math.imul(accum2, 0x61) >>> 0)) >>> 0) % HASHBASE
    if (scratch[hash] === 0) touched.push(hash)
    scratch[hash] += n
    n = 0
    accum1 = 0
    accum2 = 0
  }
  touched.sort((a, b) => a - b)
  const hashes = Uint32Array.from(touched)
  const counts = new Uint32Array(touched.length)
  touched.forEach((h, i) => {
    counts[i] = scratch[h]
    scratch[h] = 0
  })
  return { hashes, counts }
}

/** Bytes of `dst` that come from `src` (git's `src_copied`): per bucket, the smaller count. */
export function copiedBytes(src: SpanCounts, dst: SpanCounts): number {
  let copied = 0
  let j = 0
  const dh = dst.hashes
  for (let i = 0; i < src.hashes.length; i++) {
    const h = src.hashes[i]
    while (j < dh.length && dh[j] < h) j++
    if (j === dh.length) break
    if (dh[j] === h) {
      copied += Math.min(src.counts[i], dst.counts[j])
      j++
    }
  }
  return copied
}
