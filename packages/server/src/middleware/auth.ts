import { hash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../errors.ts'

// one-shot: no Hash object per request
const digest = (value: string) => hash('sha256', value, 'buffer')

/**
 * Requires `X-Internal-API-Key` on every request but the `open` paths, compared in constant time
 * (both sides hashed first, so neither the key's length nor its bytes leak through timing).
 */
export function apiKeyAuth({
  apiKey,
  open = ['/health'],
  skip = () => false,
}: {
  apiKey: string
  open?: readonly string[]
  /** paths that authenticate on their own (git smart HTTP takes the key by Basic auth) */
  skip?: (path: string) => boolean
}): MiddlewareHandler {
  const expected = digest(apiKey)
  return async (c, next) => {
    if (open.includes(c.req.path) || skip(c.req.path)) return next()
    const given = c.req.header('x-internal-api-key')
    if (given === undefined || !timingSafeEqual(digest(given), expected))
      throw new ApiError('UNAUTHORIZED', 'missing or wrong X-Internal-API-Key')
    return next()
  }
}
