import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import type { AppEnv } from '../context.ts'

const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/

/**
 * Gives each request an id (the caller's `X-Request-Id` when it is sane) and one log line when it
 * completes: request id, method, path, status, duration, and the id of the scoped key that made it
 * (`admin` for the configured key). Never bodies, query strings or headers,
 * so no file content and no key reaches the log. Successful `quiet` requests (a hot path such as
 * autosave, thousands a second) are logged at debug; failures always at info or error. The line
 * is written by `logger` itself: a child logger per request is measurable at that rate.
 */
export function requestLog(
  logger: Logger,
  { quiet = () => false }: { quiet?: (method: string, path: string) => boolean } = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id')
    const requestId = incoming !== undefined && SAFE_ID.test(incoming) ? incoming : randomUUID()
    c.set('requestId', requestId)
    // set before the response exists, so responses made by `c.json()` etc. carry it as made;
    // setting a header on a finished response rebuilds it around a stream
    c.header('X-Request-Id', requestId)
    const started = performance.now()
    await next()
    if (!c.res.headers.has('x-request-id')) c.header('X-Request-Id', requestId)
    const status = c.res.status
    const method = c.req.method
    const path = c.req.path
    const level = status >= 500 ? 'error' : status < 400 && quiet(method, path) ? 'debug' : 'info'
    if (!logger.isLevelEnabled(level)) return
    const principal = c.get('principal')
    const entry = {
      requestId,
      method,
      path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(principal ? { key: principal.kind === 'admin' ? 'admin' : principal.key.id } : {}),
    }
    logger[level](entry, level === 'error' ? 'request failed' : 'request')
  }
}
