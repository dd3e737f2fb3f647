import type { GraphCommit } from '../store/git-store.ts'

/**
 * git log's walk queue: commits of `graph` newest committer date first, ties in the order they
 * were queued, each commit queued once (a commit outside the graph is not queued).
 *
 * @example
 * const queue = new CommitQueue(graph)
 * queue.push(head)
 * for (let c = queue.shift(); c; c = queue.shift()) for (const p of c.parents) queue.push(p)
 */
export class CommitQueue {
  readonly #graph: Map<string, GraphCommit>
  readonly #queue: GraphCommit[] = []
  readonly #seen = new Set<string>()

  constructor(graph: Map<string, GraphCommit>) {
    this.#graph = graph
  }

  get size(): number {
    return this.#queue.length
  }

  push(oid: string): void {
    const c = this.#graph.get(oid)
    if (!c || this.#seen.has(oid)) return
    this.#seen.add(oid)
    let i = this.#queue.findIndex((q) => q.time < c.time)
    if (i < 0) i = this.#queue.length
    this.#queue.splice(i, 0, c)
  }

  shift(): GraphCommit | undefined {
    return this.#queue.shift()
  }
}
