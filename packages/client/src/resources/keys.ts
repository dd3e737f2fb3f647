import type { CreatedKey, KeyList, KeyScope, RequestJson, RevokedKey } from '../api-types.ts'
import { encodeSegment } from '../paths.ts'
import type { Transport } from '../transport.ts'

type KeyInput = RequestJson<
  '/keys',
  'post',
  {
    projects: string[]
    scope: KeyScope
    /** an ISO date after which the key is refused */
    expiresAt?: string
  }
>

/** `client.keys` (admin key only): keys limited to some projects and a scope. */
export function keysApi(t: Transport) {
  return {
    /**
     * Makes a key; the plain `key` is in this answer only.
     *
     * @example
     * const { key } = await client.keys.create({ projects: ['docs'], scope: 'read' })
     */
    create: (input: KeyInput): Promise<CreatedKey> =>
      t.json({ method: 'POST', path: '/keys', json: input }),

    /** The scoped keys (never the keys themselves). */
    list: (): Promise<KeyList> => t.json({ method: 'GET', path: '/keys' }),

    /** Revokes a key by its id; refused everywhere within the server's key cache TTL. */
    revoke: (id: string): Promise<RevokedKey> =>
      t.json({ method: 'DELETE', path: `/keys/${encodeSegment(id)}` }),
  }
}
