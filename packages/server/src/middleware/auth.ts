import type { MiddlewareHandler } from 'hono'
import { authorize } from '../auth/authorize.ts'
import { keyFromHeaders } from '../auth/credentials.ts'
import type { KeyResolver } from '../auth/key-resolver.ts'
import { REJECTION_MESSAGES, type KeyRejection } from '../auth/principal.ts'
import { requirementOf, type Requirement } from '../auth/route-scopes.ts'
import type { AppEnv } from '../context.ts'
import { ApiError, ProjectNotFoundError } from '../errors.ts'
import { unauthorized } from '../git-http/basic-auth.ts'

const GIT_PREFIX = '/git/'

/**
 * Authenticates every request but the open ones (`GET /health`) and authorizes it by the route's
 * requirement (`SCOPE_RULES`): a key the resolver does not accept is 401 `UNAUTHORIZED`, a
 * project outside a scoped key 404 `PROJECT_NOT_FOUND` (as if it did not exist), a missing scope
 * 403 `FORBIDDEN`. git smart HTTP gets the same answers in the form git understands.
 *
 * @example
 * app.use(apiKeyAuth({ resolver: new KeyResolver({ adminKey, keys }) }))
 */
export function apiKeyAuth({ resolver }: { resolver: KeyResolver }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const requirement = requirementOf(c.req.method, c.req.path, new URL(c.req.url).searchParams)
    if (requirement?.need === 'open') return next()
    const git = c.req.path.startsWith(GIT_PREFIX)
    const given = keyFromHeaders(c.req.raw.headers, { basic: git })
    const resolution = given === null ? null : await resolver.resolve(given)
    if (resolution === null || !resolution.ok)
      return reject({ git, reason: resolution === null ? 'missing' : resolution.reason })
    c.set('principal', resolution.principal)
    const decision = authorize(resolution.principal, requirement)
    if (decision === 'allowed') return next()
    return deny({ git, decision, requirement })
  }
}

const text = (status: number, body: string) =>
  new Response(`${body}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

function reject({ git, reason }: { git: boolean; reason: KeyRejection }): Response {
  if (git) return unauthorized()
  throw new ApiError('UNAUTHORIZED', REJECTION_MESSAGES[reason])
}

/** git gets text it prints; everything else the JSON error of any other request. */
function deny({
  git,
  decision,
  requirement,
}: {
  git: boolean
  decision: 'hidden' | 'forbidden'
  requirement: Requirement | null
}): Response {
  const scoped = requirement !== null && 'project' in requirement ? requirement : null
  if (decision === 'hidden' && scoped !== null) {
    if (git) return text(404, `repository ${scoped.project} not found`)
    throw new ProjectNotFoundError(scoped.project)
  }
  const message = scoped
    ? `this key has no ${scoped.need} scope on project ${scoped.project}`
    : 'only the configured API key may do this'
  if (git) return text(403, message)
  throw new ApiError('FORBIDDEN', message, scoped ? { need: scoped.need } : {})
}
