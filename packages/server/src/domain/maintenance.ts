import {
  maintainRepo,
  readMaintenance,
  readStorageStats,
  type MaintenanceReport,
  type PostgresStore,
  type PruneBefore,
  type StorageStats,
} from '@gitpg/git-pg-fs'
import { ApiError } from '../errors.ts'
import { pendingBlobIds } from '../store/postgres/maintenance-queries.ts'
import { parsePruneAge } from './prune-age.ts'

/** How a maintenance run is paced and logged. */
export interface MaintenancePacing {
  /** rows changed or removed per transaction */
  batchSize?: number
  /** pause between batches, in ms */
  pauseMs?: number
  signal?: AbortSignal
  log?: (event: string, fields: Record<string, unknown>) => void
}

/** A prune age (`2.weeks.ago`, `now`, ...) to the moment it means now; `INVALID_PRUNE_AGE` if none. */
export function pruneBefore(value: string): PruneBefore {
  const prune = parsePruneAge(value, new Date())
  if (prune === null)
    throw new ApiError(
      'INVALID_PRUNE_AGE',
      `prune must be an age such as 2.weeks.ago, 14.days, 12h, now, never or a date, not ${JSON.stringify(value)}`,
      { prune: value },
    )
  return prune
}

/**
 * One maintenance run of a project: garbage collection (its pending changes' blobs kept as if a
 * ref reached them) and repack. Null when a run of it is under way elsewhere.
 *
 * @example
 * const report = await maintainProject({ store, repoId, prune: 'now' })
 */
export function maintainProject({
  store,
  repoId,
  prune,
  dryRun = false,
  repack = true,
  ...pacing
}: MaintenancePacing & {
  store: PostgresStore
  repoId: number
  prune: PruneBefore
  dryRun?: boolean
  /** false: garbage collection only */
  repack?: boolean
}): Promise<MaintenanceReport | null> {
  return maintainRepo({
    store,
    repoId,
    options: {
      prune,
      dryRun,
      repack,
      extraRoots: () => pendingBlobIds(store.executor, repoId),
      ...pacing,
    },
  })
}

/** What `GET /projects/:id/storage` answers. */
export interface StorageReport extends StorageStats {
  /** with `reclaimable`: what a maintenance run with the prune age would remove now */
  reclaimable?: { objects: number; bytes: number }
  lastMaintenance: { at: string; report: MaintenanceReport } | null
}

/**
 * A project's storage: its objects, whole and deltified, their stored bytes, the last
 * maintenance run, and with `reclaimable` what a run would free now (a dry run: nothing changes;
 * `MAINTENANCE_RUNNING` while a run of the project is under way).
 */
export async function storageReport({
  store,
  repoId,
  reclaimable,
}: {
  store: PostgresStore
  repoId: number
  /** the prune age a dry run counts with; none: no dry run */
  reclaimable?: PruneBefore
}): Promise<StorageReport> {
  const [stats, last] = await Promise.all([
    readStorageStats(store.executor, repoId),
    readMaintenance(store.executor, repoId),
  ])
  const report: StorageReport = {
    ...stats,
    lastMaintenance: last && { at: last.lastRunAt.toISOString(), report: last.report },
  }
  if (reclaimable !== undefined) {
    // what collection would remove: no delta search of every whole object for a report
    const dry = await maintainProject({
      store,
      repoId,
      prune: reclaimable,
      dryRun: true,
      repack: false,
    })
    if (!dry) throw new MaintenanceRunningError(repoId)
    report.reclaimable = { objects: dry.gc.deleted, bytes: dry.gc.bytesFreed }
  }
  return report
}

export class MaintenanceRunningError extends ApiError {
  constructor(project: string | number) {
    super('MAINTENANCE_RUNNING', `a maintenance run of ${project} is under way; try again later`, {
      project,
    })
  }
}
