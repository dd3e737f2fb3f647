import { parseCommit, parseTag } from '../objects/commit.ts'
import { OidSet } from '../repo/oid-set.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import type { Pacer } from './pacer.ts'
import { walkObjects } from './walk-objects.ts'

/** Tags of tags followed at most this deep. */
const MAX_PEEL = 10

/**
 * The objects reads at a ref's head need: every tree and blob below the root tree of each of
 * `tips` (annotated tags peeled, a commit to its tree, not its history), and `extraRoots` (the
 * pending changes' blobs), with the tips and the tags on the way. Archive leaves these as rows.
 *
 * @example
 * const hot = await readHotSet({ store, repoId, tips: marked.tips.values(), extraRoots })
 */
export async function readHotSet({
  store,
  repoId,
  tips,
  extraRoots = [],
  pacer,
  hot = new OidSet(),
}: {
  store: PostgresStore
  repoId: number
  tips: Iterable<string>
  extraRoots?: Iterable<string>
  pacer?: Pacer
  /** a hot set found before, to add to: what it holds is not walked again */
  hot?: OidSet
}): Promise<OidSet> {
  const roots = [...extraRoots]
  let pending = [...new Set(tips)].filter((oid) => !hot.has(oid))
  for (let hop = 0; pending.length > 0 && hop < MAX_PEEL; hop++) {
    const objects = await store.readObjects(repoId, pending)
    const next: string[] = []
    for (const oid of pending) {
      const o = objects.get(oid)
      if (!o || hot.has(oid)) continue
      // trees and blobs are added by the walk, which does not walk into what it has seen
      if (o.type === 'tree' || o.type === 'blob') roots.push(oid)
      else hot.add(oid)
      if (o.type === 'commit') roots.push(parseCommit(o.content).tree)
      else if (o.type === 'tag') next.push(parseTag(o.content).object)
    }
    pending = next.filter((oid) => !hot.has(oid))
  }
  // the walk takes trees and blobs as roots and goes down the trees only
  await walkObjects({ store, repoId, roots, seen: hot, pacer })
  return hot
}
