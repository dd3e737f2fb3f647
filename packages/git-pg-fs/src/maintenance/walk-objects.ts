import { parseTag } from '../objects/commit.ts'
import type { OidSet } from '../repo/oid-set.ts'
import type { GraphCommit } from '../store/git-store.ts'
import type { Pacer } from './pacer.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { readGraphRows } from '../store/postgres/commit-graph-table.ts'
import type { ReachableObject } from './maintenance-types.ts'

/** Trees read per query. */
const READ_BATCH = 2000
/** Generations of new commits a re-check reads one query each before it reads the whole graph. */
const FRONTIER_LEVELS = 64
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
  pacer,
}: {
  store: PostgresStore
  repoId: number
  roots: readonly string[]
  seen: OidSet
  firstRank?: number
  /** paces the tree parsing of a background run (never given under a lock) */
  pacer?: Pacer
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
    const graph = await commitsFrom({ store, repoId, commits, seen })
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
        await pacer?.pace()
        met({ oid: t.oid, type: 'tree', path: t.path })
        const buf = tree.content
        for (let i = 0; i < buf.length;) {
          const space = buf.indexOf(0x20, i)
          const nul = buf.indexOf(0, space)
          if (space < 0 || nul < 0 || nul + 21 > buf.length) throw new Error('malformed tree')
          const at = i
          i = nul + 21
          // "160000": a gitlink, another repository's commit
          if (space - at === 6 && buf[at] === 0x31 && buf[at + 1] === 0x36) continue
          if (!seen.addRaw(buf, nul + 1)) continue
          const oid = buf.toString('hex', nul + 1, nul + 21)
          const name = buf.toString('latin1', space + 1, nul)
          const path = t.path === '' ? name : `${t.path}/${name}`
          // "40000": a tree
          if (buf[at] === 0x34) next.push({ oid, path })
          else met({ oid, type: 'blob', path })
        }
      }
    }
    trees = next
  }
  return out
}

/**
 * The commits reachable from `commits` that are not in `seen` (and `commits` themselves). A walk
 * that knows most of the history already (a re-check) reads the new commits a generation at a
 * time, and stops at known ones; a long new history, or a first walk, reads the whole graph.
 */
async function commitsFrom({
  store,
  repoId,
  commits,
  seen,
}: {
  store: PostgresStore
  repoId: number
  commits: readonly string[]
  seen: OidSet
}): Promise<Map<string, GraphCommit>> {
  const found = new Map<string, GraphCommit>()
  if (seen.size > 0) {
    let frontier = [...commits]
    for (let level = 0; level < FRONTIER_LEVELS && frontier.length > 0; level++) {
      const next: string[] = []
      for (const c of await readGraphRows(store.executor, { repoId, oids: frontier })) {
        found.set(c.oid, c)
        for (const p of c.parents) if (!seen.has(p) && !found.has(p)) next.push(p)
      }
      frontier = [...new Set(next)]
    }
    if (frontier.length === 0) return found
  }
  return store.readCommitGraph(repoId, commits)
}
