import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import type { AppEnv } from '../context.ts'

const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/

/**
 * Gives each request an id (the caller's `X-Request-Id` when it is sane) and one log line when it
 * completes: request id, method, path, status, duration. Never bodies, query strings or headers,
 * so no file content and no key reaches the log. The line is written by `logger` itself, not a
 * child logger per request: at thousands of requests a second the child is measurable.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
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
    const failed = status >= 500
    if (!failed && !logger.isLevelEnabled('info')) return
    const entry = {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    }
    if (failed) logger.error(entry, 'request failed')
    else logger.info(entry, 'request')
  }
}
