import type { TreeEntry } from '../objects/tree.ts'
import type { GraphCommit } from '../store/git-store.ts'
import type { ObjectReader } from '../repo/object-reader.ts'
import { lookupPaths, splitPath } from '../repo/tree-walk.ts'

/** How many commits one lookup batch covers. */
const WINDOW = 256

/**
 * What a path holds in each commit of a history, looked up in batches: asked for one commit, it
 * looks the path up in that commit and the ancestors nearest to it (a blame walks there next),
 * one batched read per directory level, so a walk of N commits costs about N / 256 round trips.
 *
 * @example
 * const index = new PathIndex({ reader, graph })
 * const entry = await index.entry(commitOid, 'src/app.ts') // null when absent
 */
export class PathIndex {
  readonly #reader: ObjectReader
  readonly #graph: Map<string, GraphCommit>
  readonly #known = new Map<string, Map<string, TreeEntry | null>>()

  constructor({ reader, graph }: { reader: ObjectReader; graph: Map<string, GraphCommit> }) {
    this.#reader = reader
    this.#graph = graph
  }

  async entry(commit: string, path: string): Promise<TreeEntry | null> {
    let known = this.#known.get(path)
    if (!known) this.#known.set(path, (known = new Map()))
    const hit = known.get(commit)
    if (hit !== undefined) return hit
    const batch = this.#window(commit, known)
    const parts = splitPath(path)
    const found = await lookupPaths(
      this.#reader,
      batch.map((c) => ({ root: this.#graph.get(c)!.tree, parts })),
    )
    batch.forEach((c, i) => known.set(c, found[i]))
    return known.get(commit) ?? null
  }

  /** `commit` and its nearest ancestors whose entry is not known yet, breadth first. */
  #window(commit: string, known: Map<string, TreeEntry | null>): string[] {
    const out = [commit]
    const seen = new Set(out)
    for (let i = 0; i < out.length && out.length < WINDOW; i++) {
      for (const p of this.#graph.get(out[i])?.parents ?? []) {
        if (seen.has(p) || !this.#graph.has(p)) continue
        seen.add(p)
        if (!known.has(p)) out.push(p)
        if (out.length >= WINDOW) break
      }
    }
    return out
  }
}
