import { Readable, type Transform } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import { ApiError } from '../errors.ts'

const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
}

/** The body's `Content-Encoding`, lower-cased; '' for none or `identity`. */
export function contentEncoding(headers: Headers): string {
  const encoding = (headers.get('content-encoding') ?? '').trim().toLowerCase()
  return encoding === 'identity' ? '' : encoding
}

/** 413 `PAYLOAD_TOO_LARGE` for a body past `limit` bytes (after decompression, if any). */
export function payloadTooLarge(limit: number): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', `request body is larger than ${limit} bytes`, { limit })
}

/**
 * A request body decompressed by its `Content-Encoding` (gzip, deflate or br), a chunk at a
 * time, stopping with 413 `PAYLOAD_TOO_LARGE` as soon as the inflated bytes pass `maxSize`: a
 * small compressed body can inflate to gigabytes, and no more than `maxSize` of it is ever
 * produced. 415 `UNSUPPORTED_MEDIA_TYPE` for another encoding; 400 `VALIDATION_FAILED` for bytes
 * that do not decompress.
 *
 * @example
 * for await (const chunk of inflateBody(req.body, { encoding: 'gzip', maxSize: 50 << 20 })) use(chunk)
 */
export async function* inflateBody(
  source: AsyncIterable<Uint8Array>,
  { encoding, maxSize }: { encoding: string; maxSize: number },
): AsyncGenerator<Buffer> {
  const decoder = DECODERS[encoding]
  if (!decoder)
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${encoding} is not supported`, {
      supported: Object.keys(DECODERS),
    })
  const input = Readable.from(source, { objectMode: false })
  const inflater = decoder()
  input.on('error', (err) => inflater.destroy(err))
  input.pipe(inflater)
  let size = 0
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > maxSize) throw payloadTooLarge(maxSize)
      yield chunk
    }
  } catch (err) {
    if (err instanceof ApiError) throw err
    if ((err as { code?: string }).code?.startsWith('Z_'))
      throw new ApiError('VALIDATION_FAILED', `request body is not valid ${encoding} data`)
    throw err
  } finally {
    input.unpipe(inflater)
    input.destroy()
    inflater.destroy()
  }
}
