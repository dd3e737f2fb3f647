import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import type { Marked, MaintenanceOptions, RepackReport } from './maintenance-types.ts'

/**
 * Stores whole objects that have a similar reachable object (the same path's other versions
 * first, then similar sizes) as deltas against it, newest versions kept whole, within the chain
 * depth bound.
 */
export async function repack({
  store,
  repoId,
  marked,
  options,
}: {
  store: PostgresStore
  repoId: number
  marked: Marked
  options: MaintenanceOptions
}): Promise<RepackReport> {
  void store
  void repoId
  void marked
  void options
  throw new Error('repack: not built yet')
}
