import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import { contentEncoding, inflateBody } from '../middleware/inflate-body.ts'

/**
 * The request body as bytes, decompressed when git sent it gzipped (`Content-Encoding: gzip`, as
 * git does for fetch negotiation): the inflated bytes stop with 413 `PAYLOAD_TOO_LARGE` past
 * `maxInflated`, so a small compressed request cannot make the server inflate gigabytes.
 */
export function requestBody(req: Request, maxInflated: number): AsyncIterable<Uint8Array> {
  if (!req.body) return Readable.from([])
  const body = Readable.fromWeb(req.body as NodeReadableStream<Uint8Array>)
  const encoding = contentEncoding(req.headers)
  if (encoding === '') return body
  return inflateBody(body, { encoding, maxSize: maxInflated })
}

/**
 * `chunks` once its first chunk is produced: an error before any output (such as a request body
 * found too large) is thrown here, while the response can still carry an error status.
 */
export async function started(chunks: AsyncGenerator<Buffer>): Promise<AsyncGenerator<Buffer>> {
  const first = await chunks.next()
  return (async function* () {
    if (!first.done) yield first.value
    yield* chunks
  })()
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
