import { CODE_TYPE } from '../objects/git-object.ts'
import type { OidSet } from '../repo/oid-set.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { scanObjectRows } from '../store/postgres/repack-sql.ts'
import { nameHash } from './delta-windows.ts'
import type { Marked } from './maintenance-types.ts'
import { MAX_DELTA_SIZE } from './repack-plan.ts'

/** A row archive moves into a pack. */
export interface ColdObject {
  oid: string
  /** git's type code */
  type: number
  /** inflated size */
  size: number
  /** bytes of the row's `data` */
  stored: number
  path: string
  rank: number
}

/** A hot row stored as a delta: if on a cold object, the cold objects down its chain stay rows. */
export interface HotRow {
  oid: string
  type: number
  size: number
  stored: number
  /** type and path */
  family: string
  /** its delta base now */
  base: string
  /** cold objects down its chain */
  coldBelow?: number
}

/** What `reroot` gets: hot delta rows built on cold objects, and the whole hot rows by family. */
export interface RerootPlan {
  boundary: HotRow[]
  wholeByFamily: ReadonlyMap<string, readonly string[]>
}

/** Bounds of one pack: objects, and bytes of their contents (held in memory while it is built). */
export interface PackBounds {
  maxObjects: number
  maxBytes: number
}

/**
 * The rows to archive, in packs: reachable blobs and trees (from the GC mark) that are not `hot`
 * (no ref's head shows them), not packed already, not larger than repack's delta bound, and that
 * no row left behind uses as a delta base, directly or down its chain (a row never deltas on a
 * packed object). Ordered as git's pack-objects orders them (type, name hash, path, newest
 * first), so the versions of a path and files named alike share a pack, and cut into packs
 * within `bounds`. `baseOf` gives each delta row's base.
 *
 * @example
 * const { packs } = await planArchive({ store, repoId, marked, hot, packed, bounds })
 */
export async function planArchive({
  store,
  repoId,
  marked,
  hot,
  packed,
  bounds,
  reroot,
}: {
  store: PostgresStore
  repoId: number
  marked: Marked
  hot: OidSet
  packed: OidSet
  bounds: PackBounds
  /**
   * given the hot delta rows built on cold objects, stores some of them again on other bases:
   * returns those changed, with their new base (null: whole)
   */
  reroot?: (args: RerootPlan) => Promise<Map<string, string | null>>
}): Promise<{ packs: ColdObject[][]; heldAsBases: number; baseOf: Map<string, string> }> {
  const cold = new Map<string, ColdObject>()
  const links: { oid: string; base: string }[] = []
  const boundary: HotRow[] = []
  const wholeByFamily = new Map<string, string[]>()
  for await (const page of scanObjectRows(store.executor, { repoId })) {
    for (const row of page) {
      const reached = marked.reachable.get(row.oid)
      const type = CODE_TYPE[row.type]
      const movable =
        reached !== undefined &&
        (type === 'blob' || type === 'tree') &&
        row.size <= MAX_DELTA_SIZE &&
        !hot.has(row.oid) &&
        !packed.has(row.oid)
      const { oid, size, stored } = row
      if (movable)
        cold.set(oid, { oid, type: row.type, size, stored, path: reached.path, rank: reached.rank })
      if (row.base !== null) links.push({ oid, base: row.base })
      const family = `${row.type} ${reached?.path}`
      if (reached && hot.has(oid) && (type === 'blob' || type === 'tree')) {
        if (row.base !== null)
          boundary.push({ oid, type: row.type, size, stored, family, base: row.base })
        else if (row.size <= MAX_DELTA_SIZE) {
          let list = wholeByFamily.get(family)
          if (!list) wholeByFamily.set(family, (list = []))
          list.push(oid)
        }
      }
    }
  }
  const baseOf = new Map(links.map((l) => [l.oid, l.base]))
  if (reroot) {
    const coldBelow = (oid: string) => {
      let n = 0
      for (let at = baseOf.get(oid); at !== undefined && cold.has(at) && n < 1000; n++)
        at = baseOf.get(at)
      return n
    }
    const built = boundary
      .filter((r) => cold.has(r.base))
      .map((r) => ({ ...r, coldBelow: coldBelow(r.oid) }))
    for (const [oid, base] of await reroot({ boundary: built, wholeByFamily }))
      if (base === null) baseOf.delete(oid)
      else baseOf.set(oid, base)
  }
  const heldAsBases = keepBasesOfRows({ cold, baseOf })
  return { packs: cutPacks(order([...cold.values()]), bounds), heldAsBases, baseOf }
}

/**
 * Takes out of `cold` every object a row that stays uses as a base, down the chains (`baseOf`:
 * each delta row's base).
 */
function keepBasesOfRows({
  cold,
  baseOf,
}: {
  cold: Map<string, ColdObject>
  baseOf: ReadonlyMap<string, string>
}): number {
  let held = 0
  const stack = [...baseOf].filter(([oid]) => !cold.has(oid)).map(([, base]) => base)
  while (stack.length > 0) {
    const oid = stack.pop()!
    if (!cold.delete(oid)) continue
    held++
    const base = baseOf.get(oid)
    if (base !== undefined) stack.push(base)
  }
  return held
}

function order(objects: ColdObject[]): ColdObject[] {
  const hash = new Map(objects.map((o) => [o.oid, nameHash(o.path)]))
  return objects.sort(
    (a, b) =>
      a.type - b.type ||
      hash.get(a.oid)! - hash.get(b.oid)! ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.rank - b.rank,
  )
}

function cutPacks(objects: readonly ColdObject[], bounds: PackBounds): ColdObject[][] {
  const packs: ColdObject[][] = []
  let pack: ColdObject[] = []
  let bytes = 0
  for (const o of objects) {
    if (pack.length > 0 && (pack.length >= bounds.maxObjects || bytes + o.size > bounds.maxBytes)) {
      packs.push(pack)
      pack = []
      bytes = 0
    }
    pack.push(o)
    bytes += o.size
  }
  if (pack.length > 0) packs.push(pack)
  return packs
}
