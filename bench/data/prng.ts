/**
 * A small seeded PRNG (sfc32) so every generation run makes the same choices.
 *
 * @example
 * const rng = new Prng('monorepo')
 * rng.int(10) // 0..9, the same sequence on every run
 */
export class Prng {
  #a: number
  #b: number
  #c: number
  #d: number

  constructor(seed: string) {
    // cyrb128: spreads a string seed over four 32-bit words
    let h1 = 1779033703
    let h2 = 3144134277
    let h3 = 1013904242
    let h4 = 2773480762
    for (let i = 0; i < seed.length; i++) {
      const k = seed.charCodeAt(i)
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
      h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
      h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
    }
    h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
    h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
    h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
    h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
    this.#a = (h1 ^ h2 ^ h3 ^ h4) >>> 0
    this.#b = (h2 ^ h1) >>> 0
    this.#c = (h3 ^ h1) >>> 0
    this.#d = (h4 ^ h1) >>> 0
    for (let i = 0; i < 15; i++) this.next()
  }

  /** A float in [0, 1). */
  next(): number {
    this.#a >>>= 0
    this.#b >>>= 0
    this.#c >>>= 0
    this.#d >>>= 0
    let t = (this.#a + this.#b) | 0
    this.#a = this.#b ^ (this.#b >>> 9)
    this.#b = (this.#c + (this.#c << 3)) | 0
    this.#c = (this.#c << 21) | (this.#c >>> 11)
    this.#d = (this.#d + 1) | 0
    t = (t + this.#d) | 0
    this.#c = (this.#c + t) | 0
    return (t >>> 0) / 4294967296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  /** Log-normal sample around `median` (spread `sigma`), the shape of real file sizes. */
  logNormal(median: number, sigma: number): number {
    const u = 1 - this.next()
    const v = this.next()
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    return median * Math.exp(sigma * normal)
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      ;[items[i], items[j]] = [items[j], items[i]]
    }
    return items
  }
}
