import type { PackEntryInput } from '../store/postgres/packs/write-pack.ts'
import type { ColdObject } from './archive-plan.ts'

/** What a row costs beside its data: tuple header, primary-key and base-index entries. */
export const ROW_OVERHEAD = 130
/** What a packed entry costs beside its data: its index record and share of the pack row. */
export const ENTRY_OVERHEAD = 40

/**
 * The objects of the versions of a path (its "family": type and path) that cost fewer bytes as
 * the rows they are than in the pack built of them: a pack's deltas are only on its own entries,
 * so a family whose newest old version is a small delta on the head's row takes it whole there,
 * which only pays for itself once the family has enough versions to save their row overheads.
 *
 * @example
 * const stay = cheaperAsRows({ objects, entries })
 */
export function cheaperAsRows({
  objects,
  entries,
}: {
  objects: readonly ColdObject[]
  entries: readonly PackEntryInput[]
}): Set<string> {
  const packed = new Map(entries.map((e) => [e.oid.toString('hex'), e.data.length]))
  const cost = new Map<string, { rows: number; pack: number; oids: string[] }>()
  for (const o of objects) {
    const bytes = packed.get(o.oid)
    if (bytes === undefined) continue
    const key = `${o.type} ${o.path}`
    let family = cost.get(key)
    if (!family) cost.set(key, (family = { rows: 0, pack: 0, oids: [] }))
    family.rows += o.stored + ROW_OVERHEAD
    family.pack += bytes + ENTRY_OVERHEAD
    family.oids.push(o.oid)
  }
  const stay = new Set<string>()
  for (const family of cost.values())
    if (family.rows <= family.pack) for (const oid of family.oids) stay.add(oid)
  return stay
}
