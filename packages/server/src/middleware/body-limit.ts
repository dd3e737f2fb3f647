import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../errors.ts'

/**
 * Refuses request bodies over `maxSize` bytes with 413 `PAYLOAD_TOO_LARGE`: by `Content-Length`
 * before reading anything, or, for a body of unknown length, as soon as it grows past the limit.
 * A request with a `Content-Length` is judged by its headers alone, so its body stays unread for
 * the route (on Node, reading it builds a web `Request` and a stream per request).
 */
export function bodyLimit({
  maxSize,
  skip = () => false,
}: {
  maxSize: number
  /** paths that stream their bodies and enforce their own limits */
  skip?: (path: string) => boolean
}): MiddlewareHandler {
  const tooLarge = () =>
    new ApiError('PAYLOAD_TOO_LARGE', `request body is larger than ${maxSize} bytes`, {
      limit: maxSize,
    })
  return async (c, next) => {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD' || skip(c.req.path)) return next()
    const length = c.req.header('content-length')
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > maxSize) throw tooLarge()
      return next()
    }
    const raw = c.req.raw
    if (!raw.body) return next()
    const chunks: Uint8Array[] = []
    let size = 0
    const reader = raw.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxSize) {
        await reader.cancel().catch(() => {})
        throw tooLarge()
      }
      chunks.push(value)
    }
    c.req.raw = new Request(raw, { body: Buffer.concat(chunks) })
    return next()
  }
}
