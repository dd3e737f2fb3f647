import type { OidSet } from '../repo/oid-set.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { walkObjects } from './walk-objects.ts'

/** The roots the last look at the refs found, and everything known reachable from them. */
export interface TipState {
  /** ref name → value */
  tips: Map<string, string>
  extraRoots: Set<string>
  /** every object reached so far: a walk from a moved ref stops at these */
  seen: OidSet
}

/**
 * Reads the refs (and `extraRoots`) again in `tx` and walks from every value that is new since
 * the last look, stopping at objects known reachable: returns the objects newly reached (a push
 * or a commit made since pointed a ref at them), which must not be removed. Updates `state`.
 *
 * @example
 * const reached = await recheckTips({ tx, repoId, state, extraRoots })
 */
export async function recheckTips({
  tx,
  repoId,
  state,
  extraRoots,
}: {
  tx: PostgresStore
  repoId: number
  state: TipState
  extraRoots?: () => Promise<string[]>
}): Promise<string[]> {
  const refs = await tx.listRefs(repoId)
  const tips = new Map<string, string>()
  const roots = new Set<string>()
  for (const r of refs) {
    if (!r.oid) continue
    tips.set(r.name, r.oid)
    if (state.tips.get(r.name) !== r.oid) roots.add(r.oid)
  }
  const extra = new Set(extraRoots ? await extraRoots() : [])
  for (const oid of extra) if (!state.extraRoots.has(oid)) roots.add(oid)
  state.tips = tips
  state.extraRoots = extra
  if (roots.size === 0) return []
  const reached = await walkObjects({ store: tx, repoId, roots: [...roots], seen: state.seen })
  return reached.map((o) => o.oid)
}
