import { timingSafeEqual } from 'node:crypto'
import { hashKey, KEY_PREFIX } from '../domain/api-keys.ts'
import type { KeyRecord, KeyStore } from '../store/key-store.ts'
import type { KeyRejection, Principal } from './principal.ts'

/** How long a key's record is trusted before it is read again: a revocation's delay at most. */
export const DEFAULT_KEY_CACHE_TTL_MS = 10_000
const MAX_ENTRIES = 10_000

interface Entry {
  record: KeyRecord | null
  until: number
}

export type Resolution = { ok: true; principal: Principal } | { ok: false; reason: KeyRejection }

/**
 * Turns a presented key into a principal. The configured key is compared in constant time (both
 * sides hashed); a scoped key is found by its hash, and what the store said (found or not) is kept
 * for `ttlMs`, so a request costs no round trip and a revocation holds everywhere within `ttlMs`.
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
  readonly #cache = new Map<string, Entry>()
  readonly #loading = new Map<string, Promise<KeyRecord | null>>()

  constructor({
    adminKey,
    keys,
    ttlMs = DEFAULT_KEY_CACHE_TTL_MS,
    now = Date.now,
  }: {
    adminKey: string
    keys: KeyStore
    ttlMs?: number
    now?: () => number
  }) {
    this.#admin = hashKey(adminKey)
    this.#keys = keys
    this.#ttlMs = ttlMs
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
    for (const [hash, entry] of this.#cache) if (entry.record?.id === id) this.#cache.delete(hash)
  }

  async #record(hash: Buffer): Promise<KeyRecord | null> {
    const id = hash.toString('hex')
    const cached = this.#cache.get(id)
    if (cached && cached.until > this.#now()) return cached.record
    const loading = this.#loading.get(id)
    if (loading) return loading
    const load = this.#keys.findByHash(hash).then((record) => {
      this.#cache.delete(id)
      if (this.#cache.size >= MAX_ENTRIES) this.#cache.delete(this.#cache.keys().next().value!)
      this.#cache.set(id, { record, until: this.#now() + this.#ttlMs })
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
