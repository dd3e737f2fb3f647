import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'

/** Request headers a page may send: the key, bodies, conditional saves, authors, MCP's own. */
export const CORS_ALLOW_HEADERS = [
  'X-Internal-API-Key',
  'Authorization',
  'Content-Type',
  'Content-Encoding',
  'If-Match',
  'If-None-Match',
  'X-Author-Name',
  'X-Author-Email',
  'X-Request-Id',
  'Last-Event-ID',
  'Accept',
  'Mcp-Session-Id',
  'Mcp-Protocol-Version',
]

/** Response headers a page may read: file versions and modes, request ids, MCP sessions. */
export const CORS_EXPOSE_HEADERS = [
  'ETag',
  'X-Gitpg-Mode',
  'X-Gitpg-Pending',
  'X-Gitpg-Action',
  'X-Gitpg-Renames-Limited',
  'X-Request-Id',
  'Retry-After',
  'Content-Disposition',
  'Mcp-Session-Id',
]

/**
 * CORS for the `origins` given (`GITPG_CORS_ORIGINS`; `*` for any); none, the default, answers
 * no CORS at all. A preflight (`OPTIONS`) is answered here, before any key is asked for.
 *
 * @example
 * app.use(corsFor(['https://editor.example.com']))
 */
export function corsFor(origins: readonly string[]): MiddlewareHandler {
  if (origins.length === 0) return (_c, next) => next()
  const allowed = new Set(origins)
  return cors({
    // keys travel in headers, never cookies, so any origin (`*`) is safe to allow when wanted
    origin: allowed.has('*') ? '*' : (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE'],
    allowHeaders: CORS_ALLOW_HEADERS,
    exposeHeaders: CORS_EXPOSE_HEADERS,
    maxAge: 600,
  })
}
