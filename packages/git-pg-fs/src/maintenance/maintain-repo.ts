import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { recordMaintenance, tryLockMaintenance } from '../store/postgres/maintenance-table.ts'
import { archive } from './archive.ts'
import { collectGarbage } from './collect-garbage.ts'
import { readHotSet } from './hot-set.ts'
import { repack } from './repack.ts'
import type { ArchiveReport, MaintenanceOptions, MaintenanceReport } from './maintenance-types.ts'

const NO_ARCHIVE: ArchiveReport = {
  cold: 0,
  heldAsBases: 0,
  rerooted: 0,
  cheaperAsRows: 0,
  archived: 0,
  packsWritten: 0,
  packsMerged: 0,
  mergedInto: 0,
  bytesBefore: 0,
  bytesAfter: 0,
  ms: 0,
}

/**
 * One maintenance run of a repository: garbage collection, then repack of what is left, then
 * archive (objects no ref's head shows move into packs), under the repository's maintenance lock. Null when another run (on any server) holds the lock.
 *
 * @example
 * const report = await maintainRepo({ store, repoId, options: { prune: 'now' } })
 */
export async function maintainRepo({
  store,
  repoId,
  options,
}: {
  store: PostgresStore
  repoId: number
  options: MaintenanceOptions
}): Promise<MaintenanceReport | null> {
  const lock = await tryLockMaintenance(store.db, repoId)
  if (!lock) return null
  try {
    const started = performance.now()
    const { report: gc, marked, extraRoots } = await collectGarbage({ store, repoId, options })
    options.signal?.throwIfAborted()
    // what reads at the heads need: archive packs the rest, and repack builds it on itself only
    const hot =
      options.archive === false
        ? undefined
        : await readHotSet({ store, repoId, tips: marked.tips.values(), extraRoots })
    const packed =
      options.repack === false
        ? { considered: 0, deltified: 0, rebased: 0, bytesBefore: 0, bytesAfter: 0, ms: 0 }
        : await repack({ store, repoId, marked, hot, options })
    options.signal?.throwIfAborted()
    const archived = hot
      ? await archive({ store, repoId, marked, hot, options })
      : { ...NO_ARCHIVE }
    const report: MaintenanceReport = {
      repoId,
      gc,
      repack: packed,
      archive: archived,
      ms: Math.round(performance.now() - started),
    }
    // a dry run changes nothing: the repository is not maintained by it
    if (!options.dryRun) await recordMaintenance(store.db, report)
    options.log?.('maintenance', { ...report })
    return report
  } finally {
    await lock.release()
  }
}
