import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import type { GcReport, Marked, MaintenanceOptions } from './maintenance-types.ts'

/**
 * Finds every object reachable from the repository's refs (and `options.extraRoots`) and removes
 * the unreachable ones older than the prune age, in bounded batches that never race a push or a
 * commit into a ref pointing at a missing object. Returns what it did and the walk's result,
 * which repack uses.
 */
export async function collectGarbage({
  store,
  repoId,
  options,
}: {
  store: PostgresStore
  repoId: number
  options: MaintenanceOptions
}): Promise<{ report: GcReport; marked: Marked }> {
  void store
  void repoId
  void options
  throw new Error('collectGarbage: not built yet')
}
