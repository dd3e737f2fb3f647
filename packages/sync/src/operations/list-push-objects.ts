import type { GitObject, GitStore, ObjectReader, TreeEntry } from '@gitpg/git-pg-fs'

interface TreeItem {
  oid: string
  /** the trees at the same path in the commit's parents */
  bases: string[]
}

/**
 * The objects a remote that has `exclude` (and everything they reach) needs to get `heads`:
 * the commits only `heads` reach, and in their trees each tree or blob that differs from the
 * entry at the same path in every parent. An equal entry is the parent's, which is either sent
 * too or already on the remote, so whole unchanged subtrees are never read.
 */
export async function listPushObjects({
  store,
  reader,
  repoId,
  heads,
  exclude,
}: {
  store: GitStore
  reader: ObjectReader
  repoId: number
  heads: readonly string[]
  exclude: readonly string[]
}): Promise<string[]> {
  const ours = await store.readCommitGraph(repoId, heads)
  const theirs = exclude.length > 0 ? await store.readCommitGraph(repoId, exclude) : new Map()
  const commits = [...ours.values()].filter((c) => !theirs.has(c.oid))
  const out = new Set<string>(commits.map((c) => c.oid))
  for (const c of commits) {
    const bases = c.parents.flatMap((p) => {
      const parent = ours.get(p)
      return parent ? [parent.tree] : []
    })
    let level: TreeItem[] = [{ oid: c.tree, bases }]
    while (level.length > 0) {
      level = level.filter((t) => !out.has(t.oid) && !t.bases.includes(t.oid))
      for (const t of level) out.add(t.oid)
      if (level.length === 0) break
      const trees = await reader.trees(new Set(level.flatMap((t) => [t.oid, ...t.bases])))
      const next: TreeItem[] = []
      for (const t of level) {
        const baseEntries = t.bases.map((b) => byName(trees.get(b)!))
        for (const e of trees.get(t.oid)!) {
          const same = baseEntries.map((m) => m.get(e.name))
          if (same.some((s) => s?.oid === e.oid)) continue
          if (e.type === 'blob') out.add(e.oid)
          else if (e.type === 'tree')
            next.push({
              oid: e.oid,
              bases: same.flatMap((s) => (s?.type === 'tree' ? [s.oid] : [])),
            })
        }
      }
      level = next
    }
  }
  return [...out]
}

function byName(entries: TreeEntry[]): Map<string, TreeEntry> {
  return new Map(entries.map((e) => [e.name, e]))
}

/** Reads objects in batches, in the order given, for a pack writer. */
export async function* readObjectsInOrder({
  store,
  repoId,
  oids,
  batch = 500,
}: {
  store: GitStore
  repoId: number
  oids: readonly string[]
  batch?: number
}): AsyncGenerator<GitObject> {
  for (let i = 0; i < oids.length; i += batch) {
    const slice = oids.slice(i, i + batch)
    const found = await store.readObjects(repoId, slice)
    for (const oid of slice) {
      const o = found.get(oid)
      if (!o) throw new Error(`object ${oid} is missing from the repository`)
      yield o
    }
  }
}
