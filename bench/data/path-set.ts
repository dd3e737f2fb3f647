import type { Prng } from './prng.ts'

/** A set of paths with O(1) add, delete and uniform random pick. */
export class PathSet {
  #items: string[] = []
  #index = new Map<string, number>()

  get size(): number {
    return this.#items.length
  }

  has(path: string): boolean {
    return this.#index.has(path)
  }

  add(path: string): void {
    if (this.#index.has(path)) return
    this.#index.set(path, this.#items.length)
    this.#items.push(path)
  }

  delete(path: string): void {
    const i = this.#index.get(path)
    if (i === undefined) return
    const last = this.#items.pop() as string
    if (last !== path) {
      this.#items[i] = last
      this.#index.set(last, i)
    }
    this.#index.delete(path)
  }

  pick(rng: Prng): string {
    return this.#items[rng.int(this.#items.length)]
  }

  /** Picks a path that satisfies `accept`, giving up (undefined) after a few tries. */
  pickWhere(rng: Prng, accept: (path: string) => boolean): string | undefined {
    for (let i = 0; i < 30; i++) {
      const path = this.pick(rng)
      if (accept(path)) return path
    }
    return undefined
  }

  filter(accept: (path: string) => boolean): string[] {
    return this.#items.filter(accept)
  }
}
