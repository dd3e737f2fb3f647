import { MAX_DELTA_DEPTH } from '../objects/git-object.ts'

/** Steps a walk down a chain takes at most: stored chains are at most `MAX_DELTA_DEPTH` deep. */
const MAX_WALK = 1000

interface Link {
  base: string | null
  depth: number
}

/**
 * The delta chains of a repository's rows in memory: each row's base and depth, and the rows
 * built on each base (no index on `base` is needed: one scan fills it). Repack asks it whether a
 * whole row may become a delta on a base (no cycle, every chain through it within the bound)
 * and records the change with the new depth of every row whose chain runs through it.
 *
 * @example
 * const graph = new ChainGraph()
 * graph.add({ oid, base: null, depth: 0 })
 * if (graph.fits(oid, base)) changed = graph.rebase(oid, base)
 */
export class ChainGraph {
  readonly #links = new Map<string, Link>()
  readonly #children = new Map<string, string[]>()
  readonly #bound: number

  constructor({ bound = MAX_DELTA_DEPTH }: { bound?: number } = {}) {
    this.#bound = bound
  }

  add({ oid, base, depth }: { oid: string; base: string | null; depth: number }): void {
    this.#links.set(oid, { base, depth })
    if (base !== null) this.#childrenOf(base).push(oid)
  }

  depth(oid: string): number {
    return this.#links.get(oid)?.depth ?? 0
  }

  base(oid: string): string | null {
    return this.#links.get(oid)?.base ?? null
  }

  /** True when `oid`, whole now, may become a delta on `base` (stored, no cycle, in bound). */
  fits(oid: string, base: string): boolean {
    const link = this.#links.get(oid)
    if (!link || link.base !== null || !this.#links.has(base) || oid === base) return false
    if (this.depth(base) + 1 + this.#height(oid) > this.#bound) return false
    return !this.#reaches(base, oid)
  }

  /**
   * Makes `oid` a delta on `base` (check `fits` first) and returns every row built on `oid`,
   * directly or not, whose depth moved with it.
   */
  rebase(oid: string, base: string): string[] {
    const link = this.#links.get(oid)!
    const shift = this.depth(base) + 1 - link.depth
    link.base = base
    link.depth += shift
    this.#childrenOf(base).push(oid)
    const moved: string[] = []
    const stack = [...(this.#children.get(oid) ?? [])]
    while (stack.length > 0) {
      const child = stack.pop()!
      this.#links.get(child)!.depth += shift
      moved.push(child)
      stack.push(...(this.#children.get(child) ?? []))
    }
    return moved
  }

  /** How many deltas deep the deepest row built on `oid` is, counted from `oid`. */
  #height(oid: string): number {
    let deepest = 0
    const stack: [string, number][] = [[oid, 0]]
    while (stack.length > 0) {
      const [at, below] = stack.pop()!
      if (below > deepest) deepest = below
      if (below > MAX_WALK) return Infinity
      for (const child of this.#children.get(at) ?? []) stack.push([child, below + 1])
    }
    return deepest
  }

  /** True when the chain of `from` (itself included) goes through `oid`. */
  #reaches(from: string, oid: string): boolean {
    let at: string | null = from
    for (let steps = 0; at !== null; steps++) {
      if (at === oid || steps > MAX_WALK) return true
      at = this.base(at)
    }
    return false
  }

  #childrenOf(base: string): string[] {
    let list = this.#children.get(base)
    if (!list) this.#children.set(base, (list = []))
    return list
  }
}
