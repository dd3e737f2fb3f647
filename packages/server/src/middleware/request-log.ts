import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import type { AppEnv } from '../context.ts'

const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/

/**
 * Gives each request an id (the caller's `X-Request-Id` when it is sane), a child logger that
 * carries it, and one log line when it completes: method, path, status, duration. Never bodies,
 * query strings or headers, so no file content and no key reaches the log.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id')
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID()
    const log = logger.child({ requestId })
    c.set('requestId', requestId)
    c.set('logger', log)
    const started = performance.now()
    await next()
    c.header('X-Request-Id', requestId)
    const status = c.res.status
    const entry = {
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    }
    if (status >= 500) log.error(entry, 'request failed')
    else log.info(entry, 'request')
  }
}
