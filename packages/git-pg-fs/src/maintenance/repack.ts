import { setTimeout as sleep } from 'node:timers/promises'
import { Pacer } from './pacer.ts'
import type { OidSet } from '../repo/oid-set.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { bestDelta } from './best-delta.ts'
import { ContentReader } from './content-reader.ts'
import { DeltaWindows, type PoolObject } from './delta-windows.ts'
import type { Marked, MaintenanceOptions, RepackReport } from './maintenance-types.ts'
import { scanForRepack } from './repack-plan.ts'
import { RepackWriter } from './repack-writer.ts'

/** Bases tried per object, as git's `pack.window`. */
const WINDOW = 10
/** Candidates whose windows are read together, and the bytes those contents may take. */
const GROUP = 64
const GROUP_BYTES = 16 << 20
const DEFAULT_BATCH = 500
/** A batch is written once its deltas take this many bytes, whatever their number. */
const BATCH_BYTES = 8 << 20

/**
 * Stores whole objects that have a similar reachable object (the same path's other versions
 * first, then similar sizes) as deltas against it, newest versions kept whole, within the chain
 * depth bound.
 *
 * @example
 * const report = await repack({ store, repoId, marked, options: { prune: 'never' } })
 */
export async function repack({
  store,
  repoId,
  marked,
  hot,
  options,
}: {
  store: PostgresStore
  repoId: number
  marked: Marked
  /**
   * when given (archive runs after), an object of it is deltified only on others of it: a row
   * reads at a head need never builds on an old version archive moves into a pack
   */
  hot?: OidSet
  options: MaintenanceOptions
}): Promise<RepackReport> {
  const started = performance.now()
  const report: RepackReport = {
    considered: 0,
    deltified: 0,
    rebased: 0,
    bytesBefore: 0,
    bytesAfter: 0,
    ms: 0,
  }
  const { graph, pool, stored } = await scanForRepack({ store, repoId, marked })
  const windows = new DeltaWindows({ pool, window: WINDOW })
  const reader = new ContentReader({ store, repoId })
  const writer = new RepackWriter({
    store,
    repoId,
    graph,
    dryRun: options.dryRun,
    signal: options.signal,
  })
  const batchSize = options.batchSize ?? DEFAULT_BATCH

  const flush = async (): Promise<boolean> => {
    options.signal?.throwIfAborted()
    const done = await writer.flush()
    if (!done) {
      options.log?.('repack-stopped', { repoId, reason: writer.stopped })
      return false
    }
    report.deltified += done.deltas.length
    for (const d of done.deltas) {
      report.bytesBefore += d.stored
      report.bytesAfter += d.data.length
    }
    options.log?.('repack-batch', { repoId, deltified: done.deltas.length, moved: done.moved })
    if (options.pauseMs) await sleep(options.pauseMs)
    return true
  }

  // delta search is CPU: a slice of it, then the event loop's other work gets a turn
  const pacer = new Pacer({ pauseMs: options.pauseMs })
  const pace = () => pacer.pace()

  const search = async (x: PoolObject, window: readonly PoolObject[]) => {
    const bases = hot?.has(x.oid) ? window.filter((b) => hot.has(b.oid)) : window
    if (bases.length === 0) return null
    const contents = await reader.read([x.oid, ...bases.map((b) => b.oid)])
    const target = contents.get(x.oid)
    if (!target) return null
    return bestDelta({
      target,
      stored: stored.get(x.oid)!,
      bases: bases.map((b) => b.oid),
      contents,
      fits: (base) => graph.fits(x.oid, base),
      pace,
    })
  }

  const candidates = windows.candidates()
  for (let i = 0; i < candidates.length;) {
    // nothing is half-written between groups: a stop here leaves every written batch whole
    options.signal?.throwIfAborted()
    const group = nextGroup(candidates, i, windows)
    i += group.length
    // one read for the group's path windows; the rest come from the reader's kept contents
    await reader.read(group.flatMap((x) => [x.oid, ...windows.pathWindow(x).map((b) => b.oid)]))
    for (const x of group) {
      report.considered += 1
      const best =
        (await search(x, windows.pathWindow(x))) ?? (await search(x, windows.similarWindow(x)))
      if (best) {
        const moved = graph.rebase(x.oid, best.base)
        writer.plan({
          oid: x.oid,
          base: best.base,
          data: best.data,
          stored: stored.get(x.oid)!,
          moved,
        })
      }
      const full = writer.size >= batchSize || writer.bytes >= BATCH_BYTES
      if (full && !(await flush())) return finish(report, started)
    }
  }
  if (writer.size > 0) await flush()
  return finish(report, started)
}

/** The candidates from `at` whose path windows' contents stay within the group's bounds. */
function nextGroup(candidates: readonly PoolObject[], at: number, windows: DeltaWindows) {
  const seen = new Set<string>()
  let bytes = 0
  const group: PoolObject[] = []
  for (let i = at; i < candidates.length && group.length < GROUP; i++) {
    const x = candidates[i]
    for (const o of [x, ...windows.pathWindow(x)]) {
      if (!seen.has(o.oid)) bytes += o.size
      seen.add(o.oid)
    }
    if (group.length > 0 && bytes > GROUP_BYTES) break
    group.push(x)
  }
  return group
}

function finish(report: RepackReport, started: number): RepackReport {
  report.ms = Math.round(performance.now() - started)
  return report
}
