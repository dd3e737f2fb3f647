import { timingSafeEqual } from 'node:crypto'
import { hashKey, KEY_PREFIX } from '../domain/api-keys.ts'
import type { KeyRecord, KeyStore } from '../store/key-store.ts'
import type { KeyRejection, Principal } from './principal.ts'

/** How long a key's record is trusted before it is read again: a revocation's delay at most. */
export const DEFAULT_KEY_CACHE_TTL_MS = 10_000
/** Records of keys found that are kept at most. */
export const DEFAULT_KEY_CACHE_ENTRIES = 10_000
/** Hashes the store did not know that are kept at most: a flood of made-up keys evicts these only. */
export const DEFAULT_UNKNOWN_KEY_ENTRIES = 10_000

interface Entry {
  record: KeyRecord
  until: number
}

export type Resolution = { ok: true; principal: Principal } | { ok: false; reason: KeyRejection }

/**
 * Turns a presented key into a principal. The configured key is compared in constant time (both
 * sides hashed); a scoped key is found by its hash, and what the store said is kept for `ttlMs`,
 * so a request costs no round trip and a revocation holds everywhere within `ttlMs`.
 *
 * Records found and hashes not found are kept apart, each bounded (`maxEntries`, `maxUnknown`,
 * oldest dropped first): a key presented again and again that does not exist costs one store
 * read per `ttlMs`, and a flood of made-up keys cannot push the real keys out of the cache.
 * `keyCreated` forgets a hash as unknown, so a key created on this server works at once.
 *
 * @example
 * const resolver = new KeyResolver({ adminKey, keys: new PostgresKeyStore({ executor: db }) })
 * const result = await resolver.resolve(presentedKey)
 */
export class KeyResolver {
  readonly #admin: Buffer
  readonly #keys: KeyStore
  readonly #ttlMs: number
  readonly #now: () => number
  readonly #maxEntries: number
  readonly #maxUnknown: number
  readonly #cache = new Map<string, Entry>()
  /** hash (hex) of a key the store did not know → until when that answer is trusted */
  readonly #unknown = new Map<string, number>()
  readonly #loading = new Map<string, Promise<KeyRecord | null>>()
  /** counts `keyCreated` calls: a read that began before one may not record "unknown" */
  #creations = 0

  constructor({
    adminKey,
    keys,
    ttlMs = DEFAULT_KEY_CACHE_TTL_MS,
    maxEntries = DEFAULT_KEY_CACHE_ENTRIES,
    maxUnknown = DEFAULT_UNKNOWN_KEY_ENTRIES,
    now = Date.now,
  }: {
    adminKey: string
    keys: KeyStore
    ttlMs?: number
    maxEntries?: number
    maxUnknown?: number
    now?: () => number
  }) {
    this.#admin = hashKey(adminKey)
    this.#keys = keys
    this.#ttlMs = ttlMs
    this.#maxEntries = maxEntries
    this.#maxUnknown = maxUnknown
    this.#now = now
  }

  async resolve(key: string): Promise<Resolution> {
    const hash = hashKey(key)
    if (timingSafeEqual(hash, this.#admin)) return { ok: true, principal: { kind: 'admin' } }
    if (!key.startsWith(KEY_PREFIX)) return { ok: false, reason: 'unknown' }
    const record = await this.#record(hash)
    if (!record) return { ok: false, reason: 'unknown' }
    if (record.revokedAt) return { ok: false, reason: 'revoked' }
    if (record.expiresAt && record.expiresAt.getTime() <= this.#now())
      return { ok: false, reason: 'expired' }
    return { ok: true, principal: { kind: 'scoped', key: record } }
  }

  /** Drops the cached record of key `id` (this server revoked it: no need to wait the TTL). */
  forget(id: string): void {
    for (const [hash, entry] of this.#cache) if (entry.record.id === id) this.#cache.delete(hash)
  }

  /** A key with this hash now exists (this server created it): no longer answer it as unknown. */
  keyCreated(hash: Buffer): void {
    this.#creations++
    this.#unknown.delete(hash.toString('hex'))
  }

  async #record(hash: Buffer): Promise<KeyRecord | null> {
    const id = hash.toString('hex')
    const now = this.#now()
    const cached = this.#cache.get(id)
    if (cached && cached.until > now) return cached.record
    if ((this.#unknown.get(id) ?? 0) > now) return null
    const loading = this.#loading.get(id)
    if (loading) return loading
    const creations = this.#creations
    const load = this.#keys.findByHash(hash).then((record) => {
      const until = this.#now() + this.#ttlMs
      this.#cache.delete(id)
      this.#unknown.delete(id)
      if (record) remember(this.#cache, id, { record, until }, this.#maxEntries)
      else if (creations === this.#creations) remember(this.#unknown, id, until, this.#maxUnknown)
      return record
    })
    this.#loading.set(id, load)
    try {
      return await load
    } finally {
      this.#loading.delete(id)
    }
  }
}

/** Sets `id` in `map`, first dropping the oldest entry when `map` holds `max` already. */
function remember<T>(map: Map<string, T>, id: string, value: T, max: number): void {
  if (map.size >= max) map.delete(map.keys().next().value!)
  map.set(id, value)
}
