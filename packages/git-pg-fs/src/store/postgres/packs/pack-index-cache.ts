import type { Executor } from '../database.ts'
import { PackIndex } from './pack-format.ts'
import { listPackIds, readIndexes } from './read-packs.ts'

/** Where a packed object is: its pack, that pack's index, and its position there. */
export interface PackedAt {
  packId: number
  index: PackIndex
  pos: number
}

/** Heap cost of a repository's entry and of each of its packs beyond the index bytes. */
const REPO_OVERHEAD = 200
const PACK_OVERHEAD = 160

/** The parsed indexes of one repository's packs, by pack id, as last listed. */
export class RepoPacks {
  readonly packs: ReadonlyMap<number, PackIndex>

  constructor(packs: ReadonlyMap<number, PackIndex>) {
    this.packs = packs
  }

  /** How many objects the packs hold. */
  get objects(): number {
    let n = 0
    for (const index of this.packs.values()) n += index.count
    return n
  }

  get bytes(): number {
    let n = REPO_OVERHEAD
    for (const index of this.packs.values()) n += index.bytes + PACK_OVERHEAD
    return n
  }

  /** The pack and position of `oid` (20 bytes), or undefined. */
  find(oid: Buffer): PackedAt | undefined {
    for (const [packId, index] of this.packs) {
      const pos = index.find(oid)
      if (pos >= 0) return { packId, index, pos }
    }
    return undefined
  }
}

const NONE = new RepoPacks(new Map())

/**
 * The parsed indexes of repositories' packs, least recently used repository first out, bounded
 * in bytes (the `packs` share of the cache budget). Several servers share a database, so a
 * repository's list can be stale: callers `refresh` it when an id is found neither in rows nor
 * in the cached packs, and when a pack's row is gone. Packs are immutable and their ids never
 * reused, so a cached index is never wrong, only missing or left over.
 *
 * @example
 * const packs = cache.get(repoId) ?? (await cache.refresh(db, repoId))
 */
export class PackIndexCache {
  readonly maxBytes: number
  #bytes = 0
  readonly #repos = new Map<number, RepoPacks>()

  constructor({ maxBytes = 8 << 20 }: { maxBytes?: number } = {}) {
    this.maxBytes = maxBytes
  }

  /** Bytes charged now. */
  get bytes(): number {
    return this.#bytes
  }

  /** The repository's packs as last listed, or undefined when not cached. */
  get(repoId: number): RepoPacks | undefined {
    const packs = this.#repos.get(repoId)
    if (packs) {
      this.#repos.delete(repoId)
      this.#repos.set(repoId, packs)
    }
    return packs
  }

  /**
   * Lists the repository's packs again (one small query, or `given`), loads the indexes not cached (one
   * more, only when there are some) and forgets the packs that are gone.
   */
  async refresh(
    db: Executor,
    repoId: number,
    given?: ReadonlyMap<number, number>,
  ): Promise<RepoPacks> {
    // `given`: the list the caller just read (pack id → objects), in a query of its own
    for (let attempt = 0; ; attempt++) {
      const { packs, complete } = await this.#load(
        db,
        repoId,
        given ?? (await listPackIds(db, repoId)),
      )
      if (complete || attempt >= 4) return packs
      // a pack listed was replaced before its index was read (a merge or a collection
      // meanwhile): the list is read again, so the pack that replaced it is not missed
      given = undefined
    }
  }

  /**
   * The packs `listed`, with their indexes, cached; `complete` false when one of them was gone by
   * the time its index was read.
   */
  async #load(
    db: Executor,
    repoId: number,
    listed: ReadonlyMap<number, number>,
  ): Promise<{ packs: RepoPacks; complete: boolean }> {
    if (listed.size === 0) {
      this.#put(repoId, NONE)
      return { packs: NONE, complete: true }
    }
    const before = this.#repos.get(repoId)?.packs ?? new Map<number, PackIndex>()
    const packs = new Map<number, PackIndex>()
    for (const id of listed.keys()) {
      const index = before.get(id)
      if (index) packs.set(id, index)
    }
    const load = [...listed.keys()].filter((id) => !packs.has(id))
    if (load.length > 0) {
      for (const [id, idx] of await readIndexes(db, { repoId, packIds: load }))
        packs.set(id, new PackIndex(idx))
    }
    const fresh = new RepoPacks(new Map([...packs].sort((a, b) => b[0] - a[0])))
    this.#put(repoId, fresh)
    return { packs: fresh, complete: packs.size === listed.size }
  }

  /** Forgets a repository's packs (it was deleted). */
  forget(repoId: number): void {
    const before = this.#repos.get(repoId)
    if (!before) return
    this.#repos.delete(repoId)
    this.#bytes -= before.bytes
  }

  #put(repoId: number, packs: RepoPacks): void {
    this.forget(repoId)
    this.#repos.set(repoId, packs)
    this.#bytes += packs.bytes
    // the repository just listed stays, even alone over the budget: its reads need it now
    for (const [id, p] of this.#repos) {
      if (this.#bytes <= this.maxBytes || id === repoId) break
      this.#repos.delete(id)
      this.#bytes -= p.bytes
    }
  }
}
