import { setTimeout as sleep } from 'node:timers/promises'
import { OidSet } from '../repo/oid-set.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { readPackedIds } from '../store/postgres/packs/read-packs.ts'
import { archivePack } from './archive-pack.ts'
import { planArchive } from './archive-plan.ts'
import { compactPacks } from './compact-packs.ts'
import { ContentReader } from './content-reader.ts'
import { readHotSet } from './hot-set.ts'
import { rerootHotRows } from './reroot-hot-rows.ts'
import type { ArchiveReport, Marked, MaintenanceOptions } from './maintenance-types.ts'
import { Pacer } from './pacer.ts'

export const DEFAULT_PACK_OBJECTS = 50_000
export const DEFAULT_PACK_BYTES = 64 << 20

/**
 * Moves the objects no ref's head shows (old versions of blobs and trees, reachable from the
 * history only) out of `git_objects` rows into packs, then merges small packs (`compactPacks`).
 * Rows stay for every commit and tag, everything below the root tree of each ref's tip and the
 * pending changes' blobs, unreachable objects, and any object a remaining row deltas on (a hot
 * row built on cold objects is first stored again on a hot base where that frees more bytes than
 * it costs, `rerootHotRows`), and the versions of a path that take fewer bytes as rows
 * (`cheaperAsRows`).
 *
 * Each pack is built (stored deltas on entries of the same pack reused, others computed, zlib)
 * outside any lock, then written in one short transaction holding the repository's GC lock
 * exclusively; objects that became a row's delta base meanwhile are left out and the pack built
 * again.
 *
 * @example
 * const hot = await readHotSet({ store, repoId, tips: marked.tips.values(), extraRoots })
 * const report = await archive({ store, repoId, marked, hot, options: { prune: 'never' } })
 */
export async function archive({
  store,
  repoId,
  marked,
  hot,
  options,
}: {
  store: PostgresStore
  repoId: number
  marked: Marked
  /** what reads at the heads need (`readHotSet`), found before: refs moved since add to it */
  hot: OidSet
  options: MaintenanceOptions
}): Promise<ArchiveReport> {
  const started = performance.now()
  const report: ArchiveReport = {
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
  const pacer = new Pacer({ pauseMs: options.pauseMs })
  // a ref moved since the hot set was found shows its new head's objects: they stay rows
  const tips = (await store.listRefs(repoId)).flatMap((r) => (r.oid ? [r.oid] : []))
  const extraRoots = (await options.extraRoots?.()) ?? []
  await readHotSet({ store, repoId, tips, extraRoots, pacer, hot })
  const packed = OidSet.fromRaw(await readPackedIds({ db: store.executor, repoId }))
  const bounds = {
    maxObjects: Math.max(1, options.packObjects ?? DEFAULT_PACK_OBJECTS),
    maxBytes: Math.max(1, options.packBytes ?? DEFAULT_PACK_BYTES),
  }
  const plan = await planArchive({
    store,
    repoId,
    marked,
    hot,
    packed,
    bounds,
    reroot: async (boundary) => {
      const changed = await rerootHotRows({ store, repoId, plan: boundary, options, pacer })
      report.rerooted = changed.size
      return changed
    },
  })
  report.cold = plan.packs.reduce((n, p) => n + p.length, 0) + plan.heldAsBases
  report.heldAsBases = plan.heldAsBases
  options.log?.('archive-planned', { repoId, cold: report.cold, packs: plan.packs.length })
  // contents are read for one pack at a time and not kept past it
  const reader = new ContentReader({ store, repoId, maxBytes: 0 })
  for (const objects of plan.packs) {
    options.signal?.throwIfAborted()
    const contents = await reader.read(objects.map((o) => o.oid))
    const args = { store, repoId, objects, contents, baseOf: plan.baseOf, pacer, options, report }
    if (!(await archivePack(args))) break
    if (options.pauseMs) await sleep(options.pauseMs)
  }
  await compactPacks({ store, repoId, options, report })
  report.ms = Math.round(performance.now() - started)
  options.log?.('archive', { repoId, ...report })
  return report
}
