import { spawn } from 'node:child_process'
import { createServer, request, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend'

export interface TestHttpServer {
  url: string
  port: number
  /** request lines seen, e.g. `POST /remote.git/git-upload-pack` */
  requests: string[]
  close(): Promise<void>
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

function closer(server: Server) {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
}

/** The password of an HTTP Basic `Authorization` header (the user part when no password). */
function basicPassword(req: IncomingMessage): string | null {
  const header = req.headers.authorization
  if (!header?.startsWith('Basic ')) return null
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? decoded : decoded.slice(colon + 1)
}

/**
 * Serves the bare repositories under `root` with the real `git http-backend` as a CGI program.
 * With `token`, every request must carry HTTP Basic auth with that password, else 401.
 */
export async function startGitHttpServer({
  root,
  token,
  renamed = {},
}: {
  root: string
  token?: string
  /** old repository path → new one: ref discovery redirects (301), anything else is 404 */
  renamed?: Record<string, string>
}): Promise<TestHttpServer> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    requests.push(`${req.method} ${url.pathname}${url.search}`)
    if (token !== undefined && basicPassword(req) !== token) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' })
      res.end('bad credentials\n')
      req.resume()
      return
    }
    const old = Object.keys(renamed).find((p) => url.pathname.startsWith(`${p}/`))
    if (old) {
      if (url.pathname === `${old}/info/refs`)
        res.writeHead(301, { Location: `${renamed[old]}/info/refs${url.search}` })
      else res.writeHead(404)
      res.end()
      req.resume()
      return
    }
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      REMOTE_USER: 'tester',
      REMOTE_ADDR: '127.0.0.1',
      REQUEST_METHOD: req.method,
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      SERVER_PROTOCOL: 'HTTP/1.1',
    }
    if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length']
    const protocol = req.headers['git-protocol']
    if (typeof protocol === 'string') env.HTTP_GIT_PROTOCOL = protocol
    const child = spawn(HTTP_BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    req.pipe(child.stdin)
    child.stdin.on('error', () => {})
    child.stderr.resume()
    let head: Buffer = Buffer.alloc(0)
    let headersDone = false
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk)
        return
      }
      head = Buffer.concat([head, chunk])
      let end = head.indexOf('\r\n\r\n')
      let sep = 4
      if (end < 0) {
        end = head.indexOf('\n\n')
        sep = 2
      }
      if (end < 0) return
      headersDone = true
      let status = 200
      const headers: Record<string, string> = {}
      for (const line of head.toString('latin1', 0, end).split(/\r?\n/)) {
        const colon = line.indexOf(':')
        const name = line.slice(0, colon).trim()
        const value = line.slice(colon + 1).trim()
        if (name.toLowerCase() === 'status') status = parseInt(value, 10)
        else headers[name] = value
      }
      res.writeHead(status, headers)
      res.write(head.subarray(end + sep))
    })
    child.stdout.on('end', () => {
      if (!headersDone) res.writeHead(502)
      res.end()
    })
  })
  const port = await listen(server)
  return { url: `http://127.0.0.1:${port}`, port, requests, close: closer(server) }
}

/**
 * Forwards to `target`, but cuts the connection after `afterBytes` of the answer to any POST
 * (the pack stream of a fetch): a server that breaks off mid-pack.
 */
export async function startCuttingProxy({
  target,
  afterBytes,
  mode = 'destroy',
}: {
  target: string
  afterBytes: number
  /** `destroy`: reset the socket; `end`: finish the response early as if it were complete */
  mode?: 'destroy' | 'end'
}): Promise<TestHttpServer> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    const upstream = request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers)
        let sent = 0
        up.on('data', (chunk: Buffer) => {
          if (req.method !== 'POST') return void res.write(chunk)
          if (sent >= afterBytes) return
          const room = afterBytes - sent
          if (chunk.length < room) {
            sent += chunk.length
            res.write(chunk)
            return
          }
          res.write(chunk.subarray(0, room))
          sent = afterBytes
          up.destroy()
          if (mode === 'end') res.end()
          else res.socket?.destroy()
        })
        up.on('end', () => res.end())
      },
    )
    upstream.on('error', () => res.socket?.destroy())
    req.pipe(upstream)
  })
  const port = await listen(server)
  return { url: `http://127.0.0.1:${port}`, port, requests, close: closer(server) }
}

/** A port on loopback that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  const port = await listen(server)
  await closer(server)()
  return port
}
