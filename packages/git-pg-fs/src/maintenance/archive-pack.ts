import { PackBaseConflictError } from '../errors.ts'
import { readStoredForms } from '../store/postgres/archive-rows.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { writePack } from '../store/postgres/packs/write-pack.ts'
import type { ColdObject } from './archive-plan.ts'
import type { ArchiveReport, MaintenanceOptions } from './maintenance-types.ts'
import { buildPack, type Encoded } from './pack-builder.ts'
import { cheaperAsRows } from './pack-choice.ts'
import type { Pacer } from './pacer.ts'
import { underGcLock } from './under-gc-lock.ts'

/** A pack some of whose objects turned out to be delta bases of rows is rebuilt this often. */
const CONFLICT_TRIES = 5

/**
 * Builds and writes one pack of `objects` (less the families cheaper as rows); false when
 * writers kept the lock (the run stops).
 */
export async function archivePack({
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
