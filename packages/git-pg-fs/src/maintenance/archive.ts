import { setTimeout as sleep } from 'node:timers/promises'
import { PackBaseConflictError } from '../errors.ts'
import { OidSet } from '../repo/oid-set.ts'
import { readStoredForms } from '../store/postgres/archive-rows.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { readPackedIds } from '../store/postgres/packs/read-packs.ts'
import { writePack } from '../store/postgres/packs/write-pack.ts'
import { planArchive, type ColdObject } from './archive-plan.ts'
import { compactPacks } from './compact-packs.ts'
import { ContentReader } from './content-reader.ts'
import { readHotSet } from './hot-set.ts'
import { rerootHotRows } from './reroot-hot-rows.ts'
import type { ArchiveReport, Marked, MaintenanceOptions } from './maintenance-types.ts'
import { buildPack, type Encoded } from './pack-builder.ts'
import { cheaperAsRows } from './pack-choice.ts'
import { Pacer } from './pacer.ts'
import { underGcLock } from './under-gc-lock.ts'

export const DEFAULT_PACK_OBJECTS = 50_000
export const DEFAULT_PACK_BYTES = 64 << 20
/** A pack some of whose objects turned out to be delta bases of rows is rebuilt this often. */
const CONFLICT_TRIES = 5

/**
 * Moves the objects no ref's head shows (old versions of blobs and trees, reachable from the
 * history only) out of `git_objects` rows into packs, then merges small packs (`compactPacks`).
 * Rows stay for every commit and tag, everything below the root tree of each ref's tip and the
 * pending changes' blobs, unreachable objects, and any object a remaining row deltas on.
 *
 * Each pack is built (deltas on entries of the same pack, zlib) outside any lock, then written
 * in one short transaction holding the repository's GC lock exclusively; objects that became a
 * row's delta base meanwhile are left out and the pack built again.
 *
 * @example
 * const report = await archive({ store, repoId, marked, extraRoots, options: { prune: 'never' } })
 */
export async function archive({
  store,
  repoId,
  marked,
  extraRoots,
  options,
}: {
  store: PostgresStore
  repoId: number
  marked: Marked
  /** the pending changes' blobs the mark started from */
  extraRoots: Iterable<string>
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
  // the refs as they are now too: a ref moved since the mark shows its new head's objects
  const tips = new Set(marked.tips.values())
  for (const r of await store.listRefs(repoId)) if (r.oid) tips.add(r.oid)
  const pending = new Set(extraRoots)
  for (const oid of (await options.extraRoots?.()) ?? []) pending.add(oid)
  const hot = await readHotSet({ store, repoId, tips, extraRoots: pending, pacer })
  const ids = await readPackedIds({ db: store.executor, repoId })
  const packed = new OidSet(ids.length / 20)
  for (let at = 0; at < ids.length; at += 20) packed.addRaw(ids, at)
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

/**
 * Builds and writes one pack of `objects` (less the families cheaper as rows); false when
 * writers kept the lock (the run stops).
 */
async function archivePack({
  store,
  repoId,
  objects,
  contents,
  baseOf,
  pacer,
  options,
  report,
}: {
  store: PostgresStore
  repoId: number
  objects: readonly ColdObject[]
  contents: ReadonlyMap<string, Buffer>
  baseOf: ReadonlyMap<string, string>
  pacer: Pacer
  options: MaintenanceOptions
  report: ArchiveReport
}): Promise<boolean> {
  const stored = await readStoredForms(store.executor, { repoId, oids: objects.map((o) => o.oid) })
  const pace = () => pacer.pace()
  let todo = objects
  const memo = new Map<string, Encoded>()
  let built = await buildPack({ objects: todo, contents, stored, memo, pace })
  const stay = cheaperAsRows({ objects: todo, entries: built.entries })
  if (stay.size > 0) {
    report.cheaperAsRows += stay.size
    // the rows that stay keep their bases as rows
    const held = withBases(stay, baseOf)
    const before = todo.length
    todo = todo.filter((o) => !held.has(o.oid))
    report.heldAsBases += before - todo.length - stay.size
    built = await buildPack({ objects: todo, contents, stored, memo, pace })
  }
  for (let tries = 1; ; tries++) {
    const { entries, bytes } = built
    if (entries.length === 0) return true
    const before = todo.reduce((n, o) => n + (contents.has(o.oid) ? o.stored : 0), 0)
    let written = { packId: 0, bytes }
    if (!options.dryRun) {
      try {
        const done = await underGcLock({
          store,
          repoId,
          signal: options.signal,
          fn: (tx) => writePack({ db: tx.executor, repoId, entries }),
        })
        if (!done) {
          options.log?.('archive-busy', { repoId })
          return false
        }
        written = done.value
      } catch (err) {
        if (!(err instanceof PackBaseConflictError) || tries >= CONFLICT_TRIES) throw err
        // rows stored since the plan build on these: they stay rows (with the bases of their
        // own rows), the rest is built again
        const held = withBases(err.oids, baseOf)
        const before = todo.length
        todo = todo.filter((o) => !held.has(o.oid))
        report.heldAsBases += before - todo.length
        options.log?.('archive-conflict', { repoId, held: before - todo.length })
        built = await buildPack({ objects: todo, contents, stored, memo, pace })
        continue
      }
    }
    report.archived += entries.length
    report.packsWritten += 1
    report.bytesBefore += before
    report.bytesAfter += written.bytes
    options.log?.('archive-pack', { repoId, ...written, objects: entries.length, stored: before })
    return true
  }
}

/** `oids` and the bases of their rows, down the chains (`baseOf`: each delta row's base). */
function withBases(oids: Iterable<string>, baseOf: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>()
  const stack = [...oids]
  while (stack.length > 0) {
    const oid = stack.pop()!
    if (out.has(oid)) continue
    out.add(oid)
    const base = baseOf.get(oid)
    if (base !== undefined) stack.push(base)
  }
  return out
}
