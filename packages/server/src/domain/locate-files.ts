import type { ObjectReader, TreeEntry } from '@gitpg/git-pg-fs'

/**
 * The tree entry at each of `paths` under the root tree `root` (null when absent, or when a
 * component on the way is not a directory), without reading any blob: one batched read of trees
 * per directory level, each tree indexed once however many paths go through it.
 */
export async function locateFiles(
  reader: ObjectReader,
  root: string,
  paths: readonly string[],
): Promise<(TreeEntry | null)[]> {
  const parts = paths.map((p) => p.split('/').filter((x) => x.length > 0))
  const result: (TreeEntry | null)[] = paths.map(() => null)
  const indexes = new Map<string, Map<string, TreeEntry>>()
  let active = parts.flatMap((p, i) => (p.length > 0 ? [{ i, tree: root, depth: 0 }] : []))
  while (active.length > 0) {
    const wanted = new Set(active.map((a) => a.tree).filter((t) => !indexes.has(t)))
    if (wanted.size > 0)
      for (const [oid, entries] of await reader.trees(wanted))
        indexes.set(oid, new Map(entries.map((e) => [e.name, e])))
    const next: typeof active = []
    for (const a of active) {
      const entry = indexes.get(a.tree)!.get(parts[a.i][a.depth])
      if (!entry) continue
      if (a.depth === parts[a.i].length - 1) result[a.i] = entry
      else if (entry.type === 'tree') next.push({ i: a.i, tree: entry.oid, depth: a.depth + 1 })
    }
    active = next
  }
  return result
}
