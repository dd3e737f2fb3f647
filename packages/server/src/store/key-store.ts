/** What a scoped key may do on its projects: each scope includes the ones before it. */
export type KeyScope = 'read' | 'write' | 'admin'

export const KEY_SCOPES: readonly KeyScope[] = ['read', 'write', 'admin']

/** A scoped key as stored: never the key itself, only its hash. */
export interface KeyRecord {
  id: string
  projects: string[]
  scope: KeyScope
  expiresAt: Date | null
  createdAt: Date
  revokedAt: Date | null
}

/** Where scoped keys live; the plain key never reaches it. */
export interface KeyStore {
  /** stores a new key under `id`, identified by `hash` (SHA-256 of the plain key) */
  create(input: {
    id: string
    hash: Buffer
    projects: readonly string[]
    scope: KeyScope
    expiresAt: Date | null
  }): Promise<KeyRecord>
  /** the key with this hash, revoked or not, or null */
  findByHash(hash: Buffer): Promise<KeyRecord | null>
  /** every key, newest first */
  list(): Promise<KeyRecord[]>
  /** marks the key revoked (once; a second revoke keeps the first time); null when unknown */
  revoke(id: string): Promise<KeyRecord | null>
}
