import { setTimeout as sleep } from 'node:timers/promises'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { TYPE_CODE } from '../objects/git-object.ts'
import { readGarbageRows, type GarbageRow } from '../store/postgres/garbage-rows.ts'
import { tryLockGcExclusive } from '../store/postgres/gc-lock.ts'
import { ageUnreachable } from '../store/postgres/unreachable-table.ts'
import { deleteBatch } from './delete-batch.ts'
import { deletionOrder, type DoomedObject } from './deletion-order.ts'
import { garbageEdges } from './garbage-edges.ts'
import type { GcReport, Marked, MaintenanceOptions, PruneBefore } from './maintenance-types.ts'
import { markReachable } from './mark-reachable.ts'
import { Pacer } from './pacer.ts'
import { recheckTips, type TipState } from './recheck-tips.ts'

const DEFAULT_BATCH = 1000
/** A batch that finds writers holding the lock tries again this many times before the run stops. */
const LOCK_TRIES = 50
const MAX_LOCK_WAIT_MS = 1000

/**
 * Finds every object reachable from the repository's refs (and `options.extraRoots`) and removes
 * the unreachable ones older than the prune age, in bounded batches that never race a push or a
 * commit into a ref pointing at a missing object. Returns what it did and the walk's result,
 * which repack uses.
 *
 * Each batch is one transaction holding the repository's GC lock exclusively (writers of objects
 * and refs hold it shared, see `PostgresStore`): it first reads the refs again and keeps whatever
 * a ref moved since reaches, then removes its objects, referrers first. Writers that store
 * objects and move refs in separate transactions (the isomorphic-git fs adapter) are protected
 * by the prune age alone, as git's grace period protects loose objects.
 *
 * @example
 * const { report } = await collectGarbage({ store, repoId, options: { prune: 'now' } })
 */
export async function collectGarbage({
  store,
  repoId,
  options,
}: {
  store: PostgresStore
  repoId: number
  options: MaintenanceOptions
}): Promise<{ report: GcReport; marked: Marked; extraRoots: Set<string> }> {
  const started = performance.now()
  const log = options.log ?? (() => {})
  const pacer = new Pacer({ pauseMs: options.pauseMs })
  const mark = await markReachable({ store, repoId, extraRoots: options.extraRoots, pacer })
  const { marked, seen } = mark
  const garbage: string[] = []
  for (let at = 0; at < mark.ids.length; at += 20)
    if (!seen.hasRaw(mark.ids, at)) garbage.push(mark.ids.toString('hex', at, at + 20))
  const dryRun = options.dryRun ?? false
  const since = await ageUnreachable(store.db, { repoId, garbage, dryRun })
  const aged = garbage.filter((o) => due(since.get(o), options.prune))
  const rows = await readGarbageRows(store.executor, { repoId, oids: garbage })
  const inPacks = new Set(garbage.filter((oid) => mark.packed.has(oid)))
  const asRows = new Set(rows.map((r) => r.oid))
  const packedOnly = await packedRows({
    store,
    repoId,
    oids: [...inPacks].filter((o) => !asRows.has(o)),
  })
  const edges = await garbageEdges({ store, repoId, rows: [...rows, ...packedOnly] })
  const deletable = new Set(withoutRecentlyHeld({ edges, aged }))
  const report: GcReport = {
    reachable: marked.reachable.size,
    unreachable: garbage.length,
    deleted: 0,
    kept: garbage.length - deletable.size,
    bytesFreed: 0,
    fromPacks: 0,
    rebased: 0,
    rescued: 0,
    ms: 0,
  }
  log('gc-marked', { repoId, reachable: report.reachable, unreachable: garbage.length })
  const doomed = [...rows, ...packedOnly].filter((r) => deletable.has(r.oid))
  if (dryRun) {
    // the bytes packs would shrink by are known only once they are rewritten
    report.deleted = doomed.length
    report.fromPacks = [...inPacks].filter((oid) => deletable.has(oid)).length
    report.bytesFreed = doomed.reduce((n, r) => n + r.bytes, 0)
  } else if (doomed.length > 0) {
    const order = deletionOrder(edges.filter((e) => deletable.has(e.oid)))
    const state: TipState = { tips: new Map(marked.tips), extraRoots: mark.extraRoots, seen }
    const stored = { inPacks, asRows }
    await removeInBatches({ store, repoId, options, order, state, stored, report })
  }
  report.ms = Math.round(performance.now() - started)
  log('gc', { repoId, ...report })
  return { report, marked, extraRoots: mark.extraRoots }
}

/**
 * Garbage held only in packs, as garbage rows: its type (for the deletion order), no row delta
 * base (a packed delta's base is in its pack, which `removeFromPacks` re-encodes), and no stored
 * bytes yet (counted when the packs are rewritten).
 */
async function packedRows({
  store,
  repoId,
  oids,
}: {
  store: PostgresStore
  repoId: number
  oids: readonly string[]
}): Promise<GarbageRow[]> {
  if (oids.length === 0) return []
  const info = await store.readObjectInfo(repoId, oids)
  return oids.flatMap((oid) => {
    const type = info.get(oid)?.type
    return type ? [{ oid, type: TYPE_CODE[type], base: null, bytes: 0 }] : []
  })
}

/**
 * `aged` minus what unreachable objects younger than the prune age hold, directly or through
 * others (git's `mark_recent_objects`): a commit written a moment ago by a writer that has not
 * moved its ref yet keeps the old tree it reuses.
 */
function withoutRecentlyHeld({
  edges,
  aged,
}: {
  edges: readonly DoomedObject[]
  aged: readonly string[]
}): string[] {
  const old = new Set(aged)
  const byOid = new Map(edges.map((e) => [e.oid, e]))
  const held = new Set<string>()
  const stack = edges.filter((e) => !old.has(e.oid)).flatMap((e) => e.holds)
  while (stack.length > 0) {
    const oid = stack.pop()!
    if (held.has(oid) || !byOid.has(oid)) continue
    held.add(oid)
    stack.push(...byOid.get(oid)!.holds)
  }
  return aged.filter((o) => !held.has(o))
}

/** Whether an object unreachable since `since` is old enough to go. */
function due(since: Date | undefined, prune: PruneBefore): boolean {
  if (prune === 'now') return true
  if (prune === 'never' || !since) return false
  return since < prune
}

/** Removes `order`'s objects, `batchSize` a transaction, minus what the re-checks rescue. */
async function removeInBatches({
  store,
  repoId,
  options,
  order,
  state,
  stored,
  report,
}: {
  store: PostgresStore
  repoId: number
  options: MaintenanceOptions
  order: string[]
  state: TipState
  /** the garbage held in packs, and as rows (an object may be both) */
  stored: { inPacks: ReadonlySet<string>; asRows: ReadonlySet<string> }
  report: GcReport
}): Promise<void> {
  const size = Math.max(1, options.batchSize ?? DEFAULT_BATCH)
  const pending = new Set(order)
  let next = 0
  let busy = 0
  while (next < order.length) {
    options.signal?.throwIfAborted()
    const began = performance.now()
    // a long walk (a ref moved to a large new history) runs here, not holding writers out:
    // the re-check under the lock then walks only from what moved since
    for (const oid of await recheckTips({
      tx: store,
      repoId,
      state,
      extraRoots: options.extraRoots,
    }))
      if (pending.delete(oid)) report.rescued++
    const done = await store.transaction(async (tx) => {
      if (!(await tryLockGcExclusive(tx.executor, repoId))) return false as const
      for (const oid of await recheckTips({ tx, repoId, state, extraRoots: options.extraRoots }))
        if (pending.delete(oid)) report.rescued++
      const batch: string[] = []
      for (; next < order.length && batch.length < size; next++)
        if (pending.has(order[next])) batch.push(order[next])
      if (batch.length === 0) return null
      const removed = await deleteBatch({ tx, repoId, batch, inPacks: stored.inPacks })
      // an object both a row and packed went once
      const both = batch.filter((o) => stored.inPacks.has(o) && stored.asRows.has(o)).length
      const objects = removed.deleted + removed.fromPacks - Math.min(both, removed.fromPacks)
      return { ...removed, objects }
    })
    if (done !== false) {
      busy = 0
      const ms = Math.round(performance.now() - began)
      if (done) options.log?.('gc-batch', { repoId, ...done, ms })
      report.deleted += done?.objects ?? 0
      report.fromPacks += done?.fromPacks ?? 0
      report.bytesFreed += (done?.bytes ?? 0) + (done?.packBytes ?? 0)
      report.rebased += done?.rebased ?? 0
    } else if (++busy >= LOCK_TRIES) {
      options.log?.('gc-busy', { repoId, left: order.length - next })
      return
    } else options.log?.('gc-wait', { repoId, tries: busy })
    const pause =
      done !== false ? (options.pauseMs ?? 0) : Math.min(10 * 2 ** busy, MAX_LOCK_WAIT_MS)
    if (pause > 0 && next < order.length) await sleep(pause)
  }
}
