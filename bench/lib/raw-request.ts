import { once } from 'node:events'
import { request, type IncomingHttpHeaders } from 'node:http'

/** An answer read to its end without keeping it: its status, size and first bytes. */
export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  /** bytes of the body received */
  bytes: number
  /** the first `keep` bytes of the body */
  head: Buffer
}

/**
 * One HTTP request on a connection of its own, with a body sent as given (a buffer, or chunks
 * written with backpressure) and the answer counted rather than kept, so a client of a hostile
 * case holds no more than `keep` bytes whatever the server sends. Once the answer has ended the
 * rest of the body is not sent (a server may answer 413 before reading it all); an answer that
 * has only begun does not stop the body (git's protocols stream both ways). `signal` aborts it.
 *
 * @example
 * const res = await rawRequest({ url: `${base}/health`, method: 'GET', signal })
 */
export function rawRequest({
  url,
  method,
  headers = {},
  body,
  signal,
  keep = 64 * 1024,
}: {
  url: string
  method: string
  headers?: Record<string, string>
  body?: Buffer | AsyncIterable<Buffer>
  signal?: AbortSignal
  keep?: number
}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false
    let ended = false
    const req = request(url, { method, headers, agent: false, signal }, (res) => {
      answered = true
      const head: Buffer[] = []
      let kept = 0
      let bytes = 0
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        if (kept < keep) {
          head.push(chunk.subarray(0, keep - kept))
          kept += Math.min(chunk.length, keep - kept)
        }
      })
      res.on('end', () => {
        ended = true
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          bytes,
          head: Buffer.concat(head),
        })
        req.destroy()
      })
      res.on('error', reject)
    })
    req.on('error', (err) => {
      if (!answered) reject(err)
    })
    if (body === undefined || Buffer.isBuffer(body)) {
      req.end(body)
      return
    }
    void (async () => {
      try {
        for await (const chunk of body) {
          if (ended || req.destroyed) return
          if (!req.write(chunk)) await Promise.race([once(req, 'drain'), once(req, 'close')])
        }
        if (!ended && !req.destroyed) req.end()
      } catch (err) {
        req.destroy(err as Error)
      }
    })()
  })
}

/** The error code of a gitpg JSON error body, if the head of the answer holds one. */
export function errorCode(head: Buffer): string | null {
  try {
    const code = (JSON.parse(head.toString('utf8')) as { error?: { code?: unknown } }).error?.code
    return typeof code === 'string' ? code : null
  } catch {
    return null
  }
}
