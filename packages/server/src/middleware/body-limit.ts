import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../context.ts'
import { contentEncoding, inflateBody, payloadTooLarge } from './inflate-body.ts'

/**
 * Refuses request bodies over `maxSize` bytes with 413 `PAYLOAD_TOO_LARGE`: by `Content-Length`
 * before reading anything, or, for a body of unknown length, as soon as it grows past the limit.
 * A compressed body (`Content-Encoding: gzip`, `deflate` or `br`) is decompressed here, a chunk
 * at a time, and the limit applies to its inflated bytes too, so a zip bomb is refused after
 * inflating `maxSize` bytes at most; routes then see the plain body.
 *
 * A request with a `Content-Length` and no encoding is judged by its headers alone, so its body
 * stays unread for the route (on Node, reading it builds a web `Request` and a stream per
 * request). A body read here is kept as one Buffer in the context (`body`) for `readBody`.
 */
export function bodyLimit({
  maxSize,
  skip = () => false,
}: {
  maxSize: number
  /** paths that stream their bodies and enforce their own limits */
  skip?: (path: string) => boolean
}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD' || skip(c.req.path)) return next()
    const raw = c.req.raw
    const length = c.req.header('content-length')
    const encoding = contentEncoding(raw.headers)
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > maxSize) throw payloadTooLarge(maxSize)
      if (encoding === '') return next()
    }
    if (!raw.body) return next()
    const source = raw.body as unknown as AsyncIterable<Uint8Array>
    const chunks: Buffer[] = []
    let size = 0
    const body =
      encoding === '' ? limited(source, maxSize) : inflateBody(source, { encoding, maxSize })
    for await (const chunk of body) {
      size += chunk.length
      chunks.push(chunk)
    }
    const buffer = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)
    chunks.length = 0
    const headers = new Headers(raw.headers)
    headers.delete('content-encoding')
    headers.delete('content-length')
    c.req.raw = new Request(raw, { body: once(buffer), headers, duplex: 'half' } as RequestInit)
    c.set('body', buffer)
    return next()
  }
}

/** `source` as Buffers, stopping with 413 once it passes `maxSize` bytes. */
async function* limited(source: AsyncIterable<Uint8Array>, maxSize: number) {
  let size = 0
  for await (const chunk of source) {
    size += chunk.byteLength
    if (size > maxSize) throw payloadTooLarge(maxSize)
    yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  }
}

/** A stream of one buffer, without the copy `new Request(init, { body: buffer })` makes. */
function once(buffer: Buffer): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      if (buffer.length > 0) controller.enqueue(buffer)
      controller.close()
    },
  })
}
