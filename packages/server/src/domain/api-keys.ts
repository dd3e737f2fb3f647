import { hash, randomBytes } from 'node:crypto'
import { parseDuration } from '../config.ts'
import { ApiError } from '../errors.ts'
import type { KeyRecord, KeyScope, KeyStore } from '../store/key-store.ts'

/** Every scoped key starts with this, so that secret scanners and people can tell one. */
export const KEY_PREFIX = 'gitpg_'

/** SHA-256 of a key: what the store keeps and looks keys up by. */
export const hashKey = (key: string): Buffer => hash('sha256', key, 'buffer')

/** A key as the API and the CLI show it: its record, dates as ISO strings. */
export interface KeyInfo {
  id: string
  projects: string[]
  scope: KeyScope
  expiresAt: string | null
  createdAt: string
  revokedAt: string | null
}

export const keyInfo = (r: KeyRecord): KeyInfo => ({
  id: r.id,
  projects: r.projects,
  scope: r.scope,
  expiresAt: r.expiresAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  revokedAt: r.revokedAt?.toISOString() ?? null,
})

/**
 * Makes a scoped key: 32 random bytes after `gitpg_`, stored as its hash only. The plain key is
 * in the result and nowhere else.
 *
 * @example
 * const { key, info } = await createKey({ keys, projects: ['docs'], scope: 'read', expiresAt: null })
 */
export async function createKey({
  keys,
  projects,
  scope,
  expiresAt,
}: {
  keys: KeyStore
  projects: readonly string[]
  scope: KeyScope
  expiresAt: Date | null
}): Promise<{ key: string; info: KeyInfo }> {
  if (projects.length === 0) throw new ApiError('VALIDATION_FAILED', 'a key needs a project')
  if (expiresAt !== null && expiresAt.getTime() <= Date.now())
    throw new ApiError('VALIDATION_FAILED', 'expiresAt is in the past')
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`
  const id = `key_${randomBytes(8).toString('hex')}`
  const record = await keys.create({
    id,
    hash: hashKey(key),
    projects: [...new Set(projects)],
    scope,
    expiresAt,
  })
  return { key, info: keyInfo(record) }
}

/** Revokes a key by id; `KEY_NOT_FOUND` when there is none. */
export async function revokeKey({ keys, id }: { keys: KeyStore; id: string }): Promise<KeyInfo> {
  const record = await keys.revoke(id)
  if (!record) throw new ApiError('KEY_NOT_FOUND', `there is no key ${id}`, { id })
  return keyInfo(record)
}

/**
 * `--expires`: a duration from now (`90s`, `30m`, `12h`, `30d`) or a date (`2027-01-31`,
 * `2027-01-31T12:00:00Z`); null when it is neither.
 */
export function parseExpiry(value: string, now = new Date()): Date | null {
  const seconds = parseDuration(value)
  if (seconds !== null) return new Date(now.getTime() + seconds * 1000)
  if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim())) return null
  const date = new Date(value.trim())
  return Number.isNaN(date.getTime()) ? null : date
}
