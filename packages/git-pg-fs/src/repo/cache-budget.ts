/**
 * The default byte budget of every cache of a server process together: the object cache, the
 * delta-base cache, the cold packs' indexes, rename detection's fingerprints and sizes, and
 * grep's tree listings. With
 * Node's own heap and a request's buffers it keeps a server under 512 MB resident.
 */
export const DEFAULT_CACHE_BUDGET_BYTES = 192 * 1024 * 1024

/** Each cache's bytes of one budget. */
export interface CacheBudget {
  /** objects and their parsed forms (`ObjectCache`) */
  objects: number
  /** resolved delta bases (`BaseCache`) */
  bases: number
  /** the indexes of repositories' cold packs (`PackIndexCache`, 37 bytes a packed object) */
  packs: number
  /** rename detection's blob fingerprints (`SpanCache`) */
  fingerprints: number
  /** rename detection's blob sizes */
  sizes: number
  /** grep's tree listings */
  listings: number
}

/** Shares of the budget, in 48ths: the object cache serves every read, so it gets two thirds. */
const SHARES: Record<keyof CacheBudget, number> = {
  objects: 32,
  bases: 4,
  packs: 2,
  fingerprints: 4,
  listings: 4,
  sizes: 2,
}

/**
 * `totalBytes` split between the caches in fixed shares, so that one setting bounds them all
 * (0 turns every cache off).
 *
 * @example
 * const budget = splitCacheBudget(192 * 1024 * 1024) // objects: 128 MiB, bases: 16 MiB, ...
 * const cache = new ObjectCache({ maxBytes: budget.objects })
 */
export function splitCacheBudget(totalBytes: number): CacheBudget {
  const share = (k: keyof CacheBudget) => Math.floor((totalBytes * SHARES[k]) / 48)
  return {
    objects: share('objects'),
    bases: share('bases'),
    packs: share('packs'),
    fingerprints: share('fingerprints'),
    sizes: share('sizes'),
    listings: share('listings'),
  }
}
