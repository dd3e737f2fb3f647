/**
 * A seeded generator of numbers in [0, 1) (mulberry32): the same sequence on every run, so a
 * generated history can be replayed from its seed.
 *
 * @example
 * const next = mulberry32(7)
 * const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
