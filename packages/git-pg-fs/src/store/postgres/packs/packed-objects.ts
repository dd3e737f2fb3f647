import type { Executor } from '../database.ts'
import type { StoredRow } from '../resolve-objects.ts'
import { WHOLE } from './pack-format.ts'
import { PackIndexCache, type PackedAt, type RepoPacks } from './pack-index-cache.ts'
import { readPackedRows } from './pack-ranges.ts'

/**
 * The store's way into packed objects, for ids its rows lack: where they are (from the cached
 * indexes, re-listed when an id is not found or a pack is gone) and their entries as stored rows.
 *
 * @example
 * const { rows, bases } = await packed.readRows(db, { repoId, oids: missing })
 */
export class PackedObjects {
  readonly cache: PackIndexCache

  constructor(cache: PackIndexCache = new PackIndexCache()) {
    this.cache = cache
  }

  /** The repository's packs, listed again unless cached (or `fresh`: listed again anyway). */
  async packs(db: Executor, repoId: number, fresh = false): Promise<RepoPacks> {
    return (!fresh && this.cache.get(repoId)) || this.cache.refresh(db, repoId)
  }

  /** Which of `oids` (hex) the cached indexes know: no query (none when none are cached). */
  known(repoId: number, oids: readonly string[]): string[] {
    const packs = this.cache.get(repoId)
    if (!packs || packs.packs.size === 0) return []
    return oids.filter((oid) => packs.find(Buffer.from(oid, 'hex')) !== undefined)
  }

  /**
   * Where the packed ones of `oids` (hex) are. The list is read again when one is found nowhere,
   * and with `verify`, when any is found in a list not read by this call (an existence check a
   * write relies on must not trust a pack another server has since rewritten).
   */
  async locate(
    db: Executor,
    {
      repoId,
      oids,
      verify = false,
      given,
    }: {
      repoId: number
      oids: readonly string[]
      verify?: boolean
      /** the pack list (id → objects) the caller read in this call, with its other rows */
      given?: ReadonlyMap<number, number>
    },
  ): Promise<Map<string, PackedAt>> {
    let packs = given ? undefined : this.cache.get(repoId)
    let listed = false
    if (!packs) {
      packs = await this.cache.refresh(db, repoId, given)
      listed = true
    }
    let found = findAll(packs, oids)
    if (!listed && (found.size < oids.length || (verify && found.size > 0))) {
      packs = await this.cache.refresh(db, repoId)
      found = findAll(packs, oids)
    }
    return found
  }

  /**
   * The packed ones of `oids` (hex) as stored rows (`rows`), and the entries their delta chains
   * go through (`bases`), but for bases `cached` says the caller has resolved already: every
   * byte range in one query. A pack gone meanwhile is listed again and the read tried once more.
   */
  async readRows(
    db: Executor,
    {
      repoId,
      oids,
      cached = () => false,
    }: { repoId: number; oids: readonly string[]; cached?: (oid: string) => boolean },
  ): Promise<{ rows: StoredRow[]; bases: StoredRow[] }> {
    for (let attempt = 0; ; attempt++) {
      const found = await this.locate(db, { repoId, oids })
      if (found.size === 0) return { rows: [], bases: [] }
      const wanted = [...found.values()]
      const seen = new Set(wanted.map((a) => `${a.packId}:${a.pos}`))
      const below: PackedAt[] = []
      for (const a of wanted) {
        for (let b = a.index.entry(a.pos).base; b !== WHOLE; b = a.index.entry(b).base) {
          const key = `${a.packId}:${b}`
          if (seen.has(key) || cached(a.index.oid(b).toString('hex'))) break
          seen.add(key)
          below.push({ packId: a.packId, index: a.index, pos: b })
        }
      }
      const rows = await readPackedRows(db, { repoId, at: [...wanted, ...below] })
      if (rows) return { rows: rows.slice(0, wanted.length), bases: rows.slice(wanted.length) }
      if (attempt >= 1) return { rows: [], bases: [] }
      await this.cache.refresh(db, repoId)
    }
  }
}

function findAll(packs: RepoPacks, oids: readonly string[]): Map<string, PackedAt> {
  const found = new Map<string, PackedAt>()
  if (packs.packs.size === 0) return found
  for (const oid of oids) {
    const at = packs.find(Buffer.from(oid, 'hex'))
    if (at) found.set(oid, at)
  }
  return found
}
