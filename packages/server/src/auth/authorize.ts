import { KEY_SCOPES } from '../store/key-store.ts'
import type { Principal } from './principal.ts'
import type { Requirement } from './route-scopes.ts'

/**
 * Whether `principal` may make a request with this requirement: `allowed`, `hidden` (a project
 * outside the key: answered exactly like an unknown project) or `forbidden`.
 *
 * @example
 * authorize({ kind: 'admin' }, null) // 'allowed': the configured key passes everywhere
 */
export function authorize(
  principal: Principal,
  requirement: Requirement | null,
): 'allowed' | 'hidden' | 'forbidden' {
  if (principal.kind === 'admin') return 'allowed'
  if (requirement === null || requirement.need === 'admin-key') return 'forbidden'
  if (requirement.need === 'open' || requirement.need === 'key') return 'allowed'
  const { key } = principal
  if (!key.projects.includes(requirement.project)) return 'hidden'
  return KEY_SCOPES.indexOf(key.scope) >= KEY_SCOPES.indexOf(requirement.need)
    ? 'allowed'
    : 'forbidden'
}
