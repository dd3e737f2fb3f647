import { parseTag } from '../objects/commit.ts'
import { parseTree } from '../objects/tree.ts'
import { CODE_TYPE } from '../objects/git-object.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import type { GarbageRow } from '../store/postgres/garbage-rows.ts'
import type { DoomedObject } from './deletion-order.ts'

const READ_BATCH = 2000

/**
 * What each of the garbage `rows` names, for `deletionOrder`: commits from the commit graph,
 * tags and trees read and parsed (a batch of trees at a time).
 *
 * @example
 * const order = deletionOrder(await garbageEdges({ store, repoId, rows }))
 */
export async function garbageEdges({
  store,
  repoId,
  rows,
}: {
  store: PostgresStore
  repoId: number
  rows: readonly GarbageRow[]
}): Promise<DoomedObject[]> {
  const out: DoomedObject[] = rows.map((r) => ({
    oid: r.oid,
    type: CODE_TYPE[r.type],
    holds: [],
    base: r.base,
  }))
  const commits = out.filter((o) => o.type === 'commit')
  if (commits.length > 0) {
    const graph = await store.readCommitGraph(
      repoId,
      commits.map((c) => c.oid),
    )
    for (const c of commits) {
      const g = graph.get(c.oid)
      if (g) c.holds = [g.tree, ...g.parents]
    }
  }
  const parsed = out.filter((o) => o.type === 'tree' || o.type === 'tag')
  for (let i = 0; i < parsed.length; i += READ_BATCH) {
    const slice = parsed.slice(i, i + READ_BATCH)
    const objects = await store.readObjects(
      repoId,
      slice.map((o) => o.oid),
    )
    for (const o of slice) {
      const content = objects.get(o.oid)?.content
      if (!content) continue
      o.holds =
        o.type === 'tag'
          ? [parseTag(content).object]
          : parseTree(content).flatMap((e) => (e.type === 'commit' ? [] : [e.oid]))
    }
  }
  return out
}
