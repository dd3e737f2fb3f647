import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SeenRequest {
  method: string
  path: string
  /** the `Authorization` header as received, null when none */
  authorization: string | null
}

export interface RecordingProxy {
  /** `http://127.0.0.1:<port>` */
  url: string
  seen: SeenRequest[]
  /** every `Authorization` header received, decoded when HTTP Basic */
  credentials(): string[]
  close(): Promise<void>
}

/**
 * A loopback listener that records the `Authorization` header of every request, then either
 * forwards it to `target` (headers and body as received) or answers it with a redirect to the same
 * path under `redirectTo`.
 */
export async function startRecordingProxy(
  options: { target: string } | { redirectTo: string; status?: number },
): Promise<RecordingProxy> {
  const seen: SeenRequest[] = []
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    seen.push({ method: req.method ?? '', path, authorization: req.headers.authorization ?? null })
    if ('redirectTo' in options) {
      res.writeHead(options.status ?? 302, { Location: `${options.redirectTo}${path}` })
      res.end()
      req.resume()
      return
    }
    const upstream = request(
      new URL(path, options.target),
      { method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers)
        up.pipe(res)
      },
    )
    upstream.on('error', () => res.socket?.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    credentials: () =>
      seen
        .map((s) => s.authorization)
        .filter((a): a is string => a !== null)
        .map((a) =>
          a.startsWith('Basic ') ? Buffer.from(a.slice(6), 'base64').toString('utf8') : a,
        ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
