import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import { createGunzip, createInflate } from 'node:zlib'

/** The request body as bytes, decompressed when git sent it gzipped (`Content-Encoding: gzip`). */
export function requestBody(req: Request): AsyncIterable<Uint8Array> {
  if (!req.body) return Readable.from([])
  const body = Readable.fromWeb(req.body as NodeReadableStream<Uint8Array>)
  const encoding = (req.headers.get('content-encoding') ?? '').trim().toLowerCase()
  if (encoding === 'gzip' || encoding === 'x-gzip') return body.pipe(createGunzip())
  if (encoding === 'deflate') return body.pipe(createInflate())
  return body
}

/**
 * A response body pulled from `chunks` as the client reads it, so a slow client holds the
 * producer back instead of letting output pile up in memory.
 */
export function streamBody(chunks: AsyncGenerator<Buffer>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await chunks.next()
        if (done) controller.close()
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.length))
      } catch (err) {
        controller.error(err)
      }
    },
    async cancel() {
      await chunks.return(undefined)
    },
  })
}
