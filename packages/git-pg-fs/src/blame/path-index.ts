import type { TreeEntry } from '../objects/tree.ts'
import type { GraphCommit } from '../store/git-store.ts'
import type { ObjectReader } from '../repo/object-reader.ts'
import { lookupPaths, splitPath } from '../repo/tree-walk.ts'

/** How many commits the first lookup batch covers; each next one covers twice as many. */
const FIRST_WINDOW = 128
const MAX_WINDOW = 2048

/**
 * What a path holds in each commit of a history, looked up in batches: asked for one commit, it
 * looks the path up in that commit and the ancestors nearest to it (a blame walks there next),
 * one batched read per directory level; batches start at 128 commits and double up to 2048, so
 * a short walk reads little and a long one takes few round trips.
 *
 * @example
 * const index = new PathIndex({ reader, graph })
 * const entry = await index.entry(commitOid, 'src/app.ts') // null when absent
 */
export class PathIndex {
  readonly #reader: ObjectReader
  readonly #graph: Map<string, GraphCommit>
  readonly #known = new Map<string, Map<string, TreeEntry | null>>()
  readonly #blobs = new Map<string, Set<string>>()
  #window = FIRST_WINDOW

  constructor({ reader, graph }: { reader: ObjectReader; graph: Map<string, GraphCommit> }) {
    this.#reader = reader
    this.#graph = graph
  }

  async entry(commit: string, path: string): Promise<TreeEntry | null> {
    let known = this.#known.get(path)
    if (!known) this.#known.set(path, (known = new Map()))
    const hit = known.get(commit)
    if (hit !== undefined) return hit
    const batch = this.#nearest(commit, known, this.#window)
    this.#window = Math.min(MAX_WINDOW, this.#window * 2)
    const parts = splitPath(path)
    const found = await lookupPaths(
      this.#reader,
      batch.map((c) => ({ root: this.#graph.get(c)!.tree, parts })),
    )
    let blobs = this.#blobs.get(path)
    if (!blobs) this.#blobs.set(path, (blobs = new Set()))
    batch.forEach((c, i) => {
      known.set(c, found[i])
      if (found[i]?.type === 'blob') blobs.add(found[i]!.oid)
    })
    return known.get(commit) ?? null
  }

  /** The blobs found at `path` so far, nearest the commits asked first. */
  blobsAt(path: string): Iterable<string> {
    return this.#blobs.get(path) ?? []
  }

  /** `commit` and its nearest ancestors whose entry is not known yet, breadth first. */
  #nearest(commit: string, known: Map<string, TreeEntry | null>, size: number): string[] {
    const out = [commit]
    const seen = new Set(out)
    for (let i = 0; i < out.length && out.length < size; i++) {
      for (const p of this.#graph.get(out[i])?.parents ?? []) {
        if (seen.has(p) || !this.#graph.has(p)) continue
        seen.add(p)
        if (!known.has(p)) out.push(p)
        if (out.length >= size) break
      }
    }
    return out
  }
}
