import { parseTag } from '../objects/commit.ts'
import type { OidSet } from '../repo/oid-set.ts'
import type { GitStore } from '../store/git-store.ts'
import type { ReachableObject } from './maintenance-types.ts'

/** Trees read per query. */
const READ_BATCH = 2000
/** Tags of tags followed at most this deep. */
const MAX_PEEL = 10

/**
 * Walks from `roots` (annotated tags peeled, the tags kept) through the commit graph, newest
 * commits first, and every tree below them, a level of trees read at a time; objects in `seen`
 * are not walked into (nor past), and every object met is added to it. Returns the objects met,
 * in visit order, ranked from `firstRank`. Objects that are not stored (a shallow history's
 * missing parents, a gitlink's commit) are left out without error.
 *
 * @example
 * const seen = new OidSet()
 * const objects = await walkObjects({ store, repoId, roots: [head], seen })
 */
export async function walkObjects({
  store,
  repoId,
  roots,
  seen,
  firstRank = 0,
}: {
  store: GitStore
  repoId: number
  roots: readonly string[]
  seen: OidSet
  firstRank?: number
}): Promise<ReachableObject[]> {
  const out: ReachableObject[] = []
  const met = (o: Omit<ReachableObject, 'rank'>) => out.push({ ...o, rank: firstRank + out.length })
  const commits: string[] = []
  let trees: { oid: string; path: string }[] = []
  let pending = [...new Set(roots)].filter((r) => !seen.has(r))
  for (let hop = 0; pending.length > 0 && hop < MAX_PEEL; hop++) {
    const info = await store.readObjectInfo(repoId, pending)
    const tags: string[] = []
    for (const oid of pending) {
      const type = info.get(oid)?.type
      if (!type || !seen.add(oid)) continue
      if (type === 'commit') commits.push(oid)
      else if (type === 'tree') trees.push({ oid, path: '' })
      else met({ oid, type, path: '' })
      if (type === 'tag') tags.push(oid)
    }
    const tagObjects = await store.readObjects(repoId, tags)
    pending = [...tagObjects.values()]
      .map((t) => parseTag(t.content).object)
      .filter((o) => !seen.has(o))
  }
  if (commits.length > 0) {
    const graph = await store.readCommitGraph(repoId, commits)
    // a root commit the graph lacks is still kept
    for (const oid of commits) if (!graph.has(oid)) met({ oid, type: 'commit', path: '' })
    const rootCommits = new Set(commits)
    const newest = [...graph.values()]
      .filter((c) => rootCommits.has(c.oid) || !seen.has(c.oid))
      .sort((a, b) => b.time - a.time || (a.oid < b.oid ? -1 : 1))
    for (const c of newest) {
      seen.add(c.oid)
      met({ oid: c.oid, type: 'commit', path: '' })
      if (seen.add(c.tree)) trees.push({ oid: c.tree, path: '' })
    }
  }
  while (trees.length > 0) {
    const next: { oid: string; path: string }[] = []
    for (let i = 0; i < trees.length; i += READ_BATCH) {
      const slice = trees.slice(i, i + READ_BATCH)
      const objects = await store.readObjects(
        repoId,
        slice.map((t) => t.oid),
      )
      for (const t of slice) {
        const tree = objects.get(t.oid)
        if (!tree) continue
        met({ oid: t.oid, type: 'tree', path: t.path })
        for (const e of treeEntries(tree.content)) {
          if (e.gitlink || !seen.addRaw(tree.content, e.oidAt)) continue
          const oid = tree.content.toString('hex', e.oidAt, e.oidAt + 20)
          const path = t.path === '' ? e.name : `${t.path}/${e.name}`
          if (e.tree) next.push({ oid, path })
          else met({ oid, type: 'blob', path })
        }
      }
    }
    trees = next
  }
  return out
}

/** The entries of a raw tree: name (latin1), where its id is, and its kind. */
function* treeEntries(buf: Buffer) {
  for (let i = 0; i < buf.length;) {
    const space = buf.indexOf(0x20, i)
    const nul = buf.indexOf(0, space)
    if (space < 0 || nul < 0 || nul + 21 > buf.length) throw new Error('malformed tree')
    yield {
      name: buf.toString('latin1', space + 1, nul),
      oidAt: nul + 1,
      tree: buf[i] === 0x34, // "40000"
      gitlink: space - i === 6 && buf[i] === 0x31 && buf[i + 1] === 0x36, // "160000"
    }
    i = nul + 21
  }
}
