import { deflateSync } from 'node:zlib'
import { MAX_DELTA_DEPTH, type GitObject } from '../../objects/git-object.ts'
import type { Executor } from './database.ts'
import { oidBytes } from './oid-bytes.ts'

/**
 * `objects` (about to be stored) with the depths their deltas really have: a delta whose base is
 * not among them builds on the stored row, whose depth its pack could not know (the pack held
 * the base whole, the store holds it as a delta, perhaps made one by repack since). A delta that
 * would pass the chain-depth bound, or whose base is stored nowhere, is stored whole. Run under
 * the repository's GC lock (shared), which keeps repack and garbage collection from changing
 * the stored depths read here before the transaction commits.
 *
 * @example
 * const fitted = await fitDeltaDepths(tx.executor, { repoId, objects: fresh })
 */
export async function fitDeltaDepths(
  executor: Executor,
  { repoId, objects }: { repoId: number; objects: readonly GitObject[] },
): Promise<GitObject[]> {
  const byOid = new Map(objects.map((o) => [o.oid, o]))
  const outside = new Set<string>()
  for (const o of objects) {
    const base = o.packed?.base
    if (base && !byOid.has(base)) outside.add(base)
  }
  if (outside.size === 0) return [...objects]
  const stored = await readDepths(executor, { repoId, oids: [...outside] })
  const depths = new Map<string, number | null>()
  /** an object's depth as stored (0: whole), null when its base is stored nowhere */
  const depthOf = (oid: string, trail = 0): number | null => {
    if (depths.has(oid)) return depths.get(oid)!
    const o = byOid.get(oid)
    if (!o) return stored.get(oid) ?? null
    const base = o.packed?.base
    // a cycle in a corrupt pack is cut where it is met
    const below = !base || trail > objects.length ? -1 : depthOf(base, trail + 1)
    const depth = below === null || below + 1 > MAX_DELTA_DEPTH ? 0 : below + 1
    depths.set(oid, depth)
    return depth
  }
  return objects.map((o) => {
    if (!o.packed?.base) return o
    const depth = depthOf(o.oid)!
    if (depth === o.packed.depth) return o
    const packed =
      depth === 0 ? { data: deflateSync(o.content), base: null, depth: 0 } : { ...o.packed, depth }
    return { ...o, packed }
  })
}

/** The stored depths of `oids` that are stored. */
async function readDepths(
  executor: Executor,
  { repoId, oids }: { repoId: number; oids: readonly string[] },
): Promise<Map<string, number>> {
  const { rows } = await executor.query<{ oid: Buffer; depth: number }>(
    'SELECT oid, depth FROM git_objects WHERE repo_id = $1 AND oid = ANY($2::bytea[])',
    [repoId, oidBytes(oids)],
  )
  return new Map(rows.map((r) => [r.oid.toString('hex'), r.depth]))
}
