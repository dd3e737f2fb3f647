import { connect, type Socket } from 'node:net'

export interface Http1Request {
  method: string
  path: string
  headers: Record<string, string>
  body?: Buffer
}

interface Waiting {
  request: Http1Request
  done: (status: number | Error) => void
}

/** The end of a response's head and its framing, once the head has arrived. */
interface Head {
  status: number
  /** bytes of head */
  headLength: number
  /** body bytes after the head, or null for a chunked body */
  contentLength: number | null
  close: boolean
}

const CRLF2 = Buffer.from('\r\n\r\n')

function parseHead(buf: Buffer): Head | null {
  const end = buf.indexOf(CRLF2)
  if (end < 0) return null
  const lines = buf.toString('latin1', 0, end).split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1])
  if (!Number.isInteger(status)) throw new Error(`not an HTTP/1.1 response: ${lines[0]}`)
  let contentLength: number | null = 0
  let close = false
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line
      .slice(colon + 1)
      .trim()
      .toLowerCase()
    if (name === 'content-length') contentLength = Number(value)
    else if (name === 'transfer-encoding' && value.includes('chunked')) contentLength = null
    else if (name === 'connection' && value === 'close') close = true
  }
  return { status, headLength: end + 4, contentLength, close }
}

/** Where a chunked body that starts at `from` ends in `buf` (after its last chunk), or -1. */
function chunkedEnd(buf: Buffer, from: number): number {
  let at = from
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', at)
    if (lineEnd < 0) return -1
    const size = parseInt(buf.toString('latin1', at, lineEnd), 16)
    if (!Number.isFinite(size)) throw new Error('bad chunk size')
    if (size === 0) {
      // no trailers are sent by the server: the last chunk is followed by one empty line
      return buf.length >= lineEnd + 4 ? lineEnd + 4 : -1
    }
    at = lineEnd + 2 + size + 2
    if (at > buf.length) return -1
  }
}

/**
 * A minimal HTTP/1.1 client over `connections` keep-alive sockets, one request at a time on each,
 * for a load generator that must cost the machine as little as possible: each request is one
 * write of prepared bytes, each response is framed by its `Content-Length` (or chunks) and only
 * its status is read. A request that finds every connection busy waits in order.
 *
 * @example
 * const pool = new Http1Pool('http://127.0.0.1:3001', 200)
 * const status = await pool.request({ method: 'GET', path: '/health', headers: {} })
 */
export class Http1Pool {
  readonly #host: string
  readonly #port: number
  readonly #max: number
  readonly #idle: Socket[] = []
  readonly #queue: Waiting[] = []
  #open = 0

  constructor(url: string, connections: number) {
    const u = new URL(url)
    this.#host = u.hostname
    this.#port = Number(u.port || 80)
    this.#max = connections
  }

  /** Resolves with the response's status once its whole body has arrived. */
  request(request: Http1Request): Promise<number> {
    return new Promise((resolve, reject) => {
      const w: Waiting = {
        request,
        done: (r) => (typeof r === 'number' ? resolve(r) : reject(r)),
      }
      const socket = this.#idle.pop()
      if (socket) this.#send(socket, w)
      else if (this.#open < this.#max) this.#connect(w)
      else this.#queue.push(w)
    })
  }

  #connect(first: Waiting): void {
    this.#open++
    const socket = connect({ host: this.#host, port: this.#port, noDelay: true })
    socket.once('error', (err) => this.#lost(socket, err))
    socket.once('close', () => this.#lost(socket, new Error('connection closed')))
    // written once connected; a connection that fails fails its request
    this.#send(socket, first)
  }

  /** The socket's current request, and what has arrived of its response. */
  readonly #current = new WeakMap<Socket, { w: Waiting; buf: Buffer; head: Head | null }>()
  /** sockets closed and counted */
  readonly #gone = new WeakSet<Socket>()

  #send(socket: Socket, w: Waiting): void {
    const { method, path, headers, body } = w.request
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${this.#host}:${this.#port}\r\n`
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`
    head += `content-length: ${body?.length ?? 0}\r\n\r\n`
    this.#current.set(socket, { w, buf: Buffer.alloc(0), head: null })
    if (socket.listenerCount('data') === 0) socket.on('data', (d) => this.#data(socket, d))
    socket.cork()
    socket.write(head, 'latin1')
    if (body && body.length > 0) socket.write(body)
    socket.uncork()
  }

  #data(socket: Socket, data: Buffer): void {
    const cur = this.#current.get(socket)
    if (!cur) return
    cur.buf = cur.buf.length === 0 ? data : Buffer.concat([cur.buf, data])
    try {
      cur.head ??= parseHead(cur.buf)
      if (!cur.head) return
      const end =
        cur.head.contentLength === null
          ? chunkedEnd(cur.buf, cur.head.headLength)
          : cur.buf.length >= cur.head.headLength + cur.head.contentLength
            ? cur.head.headLength + cur.head.contentLength
            : -1
      if (end < 0) return
      this.#current.delete(socket)
      if (cur.head.close) socket.end()
      else this.#release(socket)
      cur.w.done(cur.head.status)
    } catch (err) {
      this.#current.delete(socket)
      socket.destroy()
      cur.w.done(err as Error)
    }
  }

  #release(socket: Socket): void {
    const next = this.#queue.shift()
    if (next) this.#send(socket, next)
    else this.#idle.push(socket)
  }

  #lost(socket: Socket, err: Error): void {
    if (this.#gone.has(socket)) return
    this.#gone.add(socket)
    this.#open--
    const i = this.#idle.indexOf(socket)
    if (i >= 0) this.#idle.splice(i, 1)
    const cur = this.#current.get(socket)
    this.#current.delete(socket)
    socket.destroy()
    cur?.w.done(err)
    // a request waiting for a connection gets a new one
    const next = this.#queue.shift()
    if (next) this.#connect(next)
  }

  close(): void {
    for (const s of this.#idle.splice(0)) s.end()
  }
}
