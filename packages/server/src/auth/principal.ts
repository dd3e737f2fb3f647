import type { KeyRecord } from '../store/key-store.ts'

/** Who a request acts as: the configured key (everything), or a scoped key. */
export type Principal = { kind: 'admin' } | { kind: 'scoped'; key: KeyRecord }

/** Why a key was not accepted. */
export type KeyRejection = 'missing' | 'unknown' | 'expired' | 'revoked'

export const REJECTION_MESSAGES: Record<KeyRejection, string> = {
  missing: 'missing API key: send X-Internal-API-Key or Authorization: Bearer',
  unknown: 'wrong API key',
  expired: 'the key has expired',
  revoked: 'the key was revoked',
}
