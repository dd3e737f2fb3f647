import { OidSet } from '../repo/oid-set.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { readGcSnapshot } from '../store/postgres/gc-snapshot.ts'
import type { Marked } from './maintenance-types.ts'
import type { Pacer } from './pacer.ts'
import { walkObjects } from './walk-objects.ts'

/** The mark of garbage collection: what is reachable, and what was stored when it looked. */
export interface MarkResult {
  marked: Marked
  /** every object reached, stored or not (a walk that re-checks stops at these) */
  seen: OidSet
  /** every object stored at the snapshot, 20 bytes each, in byte order */
  ids: Buffer
  listed: OidSet
  /** the ids of `ids` held in packs (some may be rows too) */
  packed: OidSet
  /** the extra roots the walk started from */
  extraRoots: Set<string>
}

/**
 * Lists the refs and stored objects in one snapshot, then walks from the ref values (and
 * `extraRoots`) outside any transaction: objects stored after the snapshot are never garbage.
 *
 * @example
 * const { marked } = await markReachable({ store, repoId })
 */
export async function markReachable({
  store,
  repoId,
  extraRoots,
  pacer,
}: {
  store: PostgresStore
  repoId: number
  extraRoots?: () => Promise<string[]>
  pacer?: Pacer
}): Promise<MarkResult> {
  const snapshot = await readGcSnapshot(store.db, repoId)
  const tips = new Map<string, string>()
  for (const r of snapshot.refs) if (r.oid) tips.set(r.name, r.oid)
  const extra = new Set(extraRoots ? await extraRoots() : [])
  const seen = new OidSet(snapshot.ids.length / 20)
  const roots = [...tips.values(), ...extra]
  const objects = await walkObjects({ store, repoId, roots, seen, pacer })
  const reachable: Marked['reachable'] = new Map()
  for (const o of objects) if (snapshot.listed.has(o.oid)) reachable.set(o.oid, o)
  return {
    marked: { reachable, tips },
    seen,
    ids: snapshot.ids,
    listed: snapshot.listed,
    packed: snapshot.packed,
    extraRoots: extra,
  }
}
