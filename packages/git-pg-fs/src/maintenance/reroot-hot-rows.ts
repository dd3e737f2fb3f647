import { deflateSync } from 'node:zlib'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { rerootRows, type Reroot } from '../store/postgres/reroot-rows.ts'
import type { RerootPlan } from './archive-plan.ts'
import { bestDelta } from './best-delta.ts'
import { ContentReader } from './content-reader.ts'
import type { MaintenanceOptions } from './maintenance-types.ts'
import { ENTRY_OVERHEAD, ROW_OVERHEAD } from './pack-choice.ts'
import type { Pacer } from './pacer.ts'
import { underGcLock } from './under-gc-lock.ts'

/** Whole hot rows of the same path tried as new bases. */
const WINDOW = 10
/** Rows stored again per transaction. */
const BATCH = 500
/** A delta under this share of the content is kept without comparing it with the whole zlib. */
const SURE_DELTA = 1 / 8

/**
 * Stores again the hot delta rows whose chains run through cold objects (a tag's version of a
 * file as a delta on a newer version no head shows), as a delta on a whole hot row of the same
 * path or whole, where the bytes that costs are less than packing the cold objects down its chain
 * saves: those can then go into a pack. Each batch is one transaction holding the GC lock
 * exclusively; a row whose base changed since the scan is left alone. Returns the rows changed
 * and their new bases (null: whole). A dry run changes nothing.
 *
 * @example
 * const changed = await rerootHotRows({ store, repoId, plan, options, pacer })
 */
export async function rerootHotRows({
  store,
  repoId,
  plan,
  options,
  pacer,
}: {
  store: PostgresStore
  repoId: number
  plan: RerootPlan
  options: MaintenanceOptions
  pacer: Pacer
}): Promise<Map<string, string | null>> {
  const changed = new Map<string, string | null>()
  if (options.dryRun) return changed
  const reader = new ContentReader({ store, repoId })
  const pace = () => pacer.pace()
  let batch: Reroot[] = []
  const flush = async (): Promise<boolean> => {
    const rows = batch
    batch = []
    const done = await underGcLock({
      store,
      repoId,
      signal: options.signal,
      fn: (tx) => rerootRows(tx.executor, { repoId, rows }),
    })
    if (!done) return false
    const base = new Map(rows.map((r) => [r.oid, r.base]))
    for (const oid of done.value) changed.set(oid, base.get(oid)!)
    options.log?.('archive-reroot', { repoId, rows: done.value.length })
    return true
  }
  for (const r of plan.boundary) {
    options.signal?.throwIfAborted()
    const saving = (r.coldBelow ?? 0) * (ROW_OVERHEAD - ENTRY_OVERHEAD)
    if (saving <= 0) continue
    const bases = (plan.wholeByFamily.get(r.family) ?? []).filter((o) => o !== r.oid)
    const contents = await reader.read([r.oid, ...bases.slice(0, WINDOW)])
    const target = contents.get(r.oid)
    if (!target) continue
    await pace()
    const delta = await bestDelta({
      target,
      stored: target.length,
      bases: bases.slice(0, WINDOW),
      contents,
      fits: () => true,
      pace,
    })
    let best = delta ? { data: delta.data, base: delta.base as string | null } : null
    if (!best || best.data.length > target.length * SURE_DELTA) {
      const whole = deflateSync(target)
      if (!best || whole.length <= best.data.length) best = { data: whole, base: null }
    }
    if (best.data.length - r.stored >= saving) continue
    // the new base is a whole row: the row is one delta deep
    batch.push({ oid: r.oid, from: r.base, ...best, depth: best.base === null ? 0 : 1 })
    if (batch.length >= BATCH && !(await flush())) return changed
  }
  if (batch.length > 0) await flush()
  return changed
}
