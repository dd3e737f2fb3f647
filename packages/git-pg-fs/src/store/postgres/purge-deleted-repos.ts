import { setTimeout as sleep } from 'node:timers/promises'
import type { Database } from './database.ts'
import {
  deleteRowsBatch,
  dequeueDeletedRepo,
  listDeletedRepos,
  repoTables,
} from './deleted-repos.ts'
import { tryLockMaintenance } from './maintenance-table.ts'

/** Rows one transaction of a deletion removes, unless told otherwise. */
export const DEFAULT_PURGE_BATCH = 1000

export interface PurgeOptions {
  /** rows removed per transaction */
  batchSize?: number
  /** pause between batches, in ms */
  pauseMs?: number
  /** stops between batches; the repository stays queued and a later run finishes it */
  signal?: AbortSignal
  /** called (and awaited) after every batch */
  onBatch?: (batch: { repoId: number; table: string; rows: number }) => void | Promise<void>
}

export interface PurgeResult {
  /** false when a maintenance run held the repository: it stays queued for a later run */
  done: boolean
  rows: number
  batches: number
}

/**
 * Removes the rows of a hidden (queued) repository, table by table, in transactions of at most
 * `batchSize` rows each, so that deleting a large project never holds one long transaction; then
 * takes it off the queue. Safe to run again after a crash: it goes on where the last run stopped.
 * Holds the repository's maintenance lock meanwhile, so no maintenance run writes to it.
 *
 * @example
 * await purgeRepo({ db, repoId, options: { batchSize: 500 } })
 */
export async function purgeRepo({
  db,
  repoId,
  options = {},
}: {
  db: Database
  repoId: number
  options?: PurgeOptions
}): Promise<PurgeResult> {
  const limit = Math.max(1, options.batchSize ?? DEFAULT_PURGE_BATCH)
  const lock = await tryLockMaintenance(db, repoId)
  if (!lock) return { done: false, rows: 0, batches: 0 }
  let rows = 0
  let batches = 0
  try {
    const tables = await repoTables(db)
    // again until a pass finds nothing: a write that was under way when the repository was
    // hidden (a push) may have added rows to a table already emptied
    for (let found = 1; found > 0;) {
      found = 0
      for (const table of tables) {
        // a pack row holds many objects (megabytes): one per transaction
        const rowsPer = table === 'git_packs' ? 1 : limit
        for (;;) {
          options.signal?.throwIfAborted()
          const n = await deleteRowsBatch(db, { table, repoId, limit: rowsPer })
          found += n
          batches += 1
          await options.onBatch?.({ repoId, table, rows: n })
          if (n < rowsPer) break
          if (options.pauseMs) await sleep(options.pauseMs, undefined, { signal: options.signal })
        }
      }
      rows += found
    }
    await dequeueDeletedRepo(db, repoId)
  } finally {
    await lock.release()
  }
  return { done: true, rows, batches }
}

/**
 * Finishes every queued deletion (those a crash or a busy repository left), oldest first.
 *
 * @example
 * const { repos } = await purgeDeletedRepos({ db, options: { pauseMs: 50 } })
 */
export async function purgeDeletedRepos({
  db,
  options = {},
}: {
  db: Database
  options?: PurgeOptions
}): Promise<{ repos: number; rows: number; waiting: number }> {
  let repos = 0
  let rows = 0
  let waiting = 0
  for (const { repoId } of await listDeletedRepos(db)) {
    const result = await purgeRepo({ db, repoId, options })
    if (result.done) repos += 1
    else waiting += 1
    rows += result.rows
  }
  return { repos, rows, waiting }
}
