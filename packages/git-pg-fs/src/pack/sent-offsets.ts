import type { TreeGraph } from '../repo/tree-graph.ts'

/** Where each object sent so far starts in a pack, by id (what `addStored` needs of a `Map`). */
export interface SentOffsets {
  get(oid: string): number | undefined
  has(oid: string): boolean
  set(oid: string, at: number): void
}

/**
 * `SentOffsets` for a clone's pack: the trees and blobs `graph` numbers in one `Float64Array`
 * (8 bytes an object, where a `Map` keyed by id strings takes about 100), anything else (the
 * commits and tags) in a `Map`.
 *
 * @example
 * const offsets = new GraphOffsets(graph)
 * addStored({ pack, o, offsets, ofsDelta })
 */
export class GraphOffsets implements SentOffsets {
  readonly #graph: TreeGraph
  readonly #at: Float64Array
  readonly #others = new Map<string, number>()

  constructor(graph: TreeGraph) {
    this.#graph = graph
    this.#at = new Float64Array(graph.mark.length).fill(-1)
  }

  #number(oid: string): number {
    const n = this.#graph.find(Buffer.from(oid, 'hex'))
    return n < this.#at.length ? n : -1
  }

  get(oid: string): number | undefined {
    const n = this.#number(oid)
    if (n < 0) return this.#others.get(oid)
    const at = this.#at[n]
    return at < 0 ? undefined : at
  }

  has(oid: string): boolean {
    return this.get(oid) !== undefined
  }

  set(oid: string, at: number): void {
    const n = this.#number(oid)
    if (n < 0) this.#others.set(oid, at)
    else this.#at[n] = at
  }
}
