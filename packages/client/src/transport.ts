import { errorFromResponse, GitpgError } from './errors.ts'
import { encodeBytes } from './paths.ts'

/** What `createClient` takes. */
export interface ClientOptions {
  /** where the server listens, e.g. `http://127.0.0.1:3001` (a path prefix is kept) */
  baseUrl: string
  /** sent as `X-Internal-API-Key`: the admin key or a scoped key */
  apiKey?: string
  /** a `fetch` to use instead of the global one (a test double, a proxy agent, a polyfill) */
  fetch?: typeof globalThis.fetch
  /** more headers for every request */
  headers?: Record<string, string>
}

/** A query string's values; `undefined` leaves the parameter out. */
export type QueryValues = Record<string, string | number | boolean | Uint8Array | undefined | null>

/** A request body for file content. */
export type Content = string | Uint8Array | Blob | ReadableStream<Uint8Array>

export interface RequestSpec {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH'
  /** already encoded, from the root, e.g. `/files/docs/a%20b.md` */
  path: string
  query?: QueryValues
  json?: unknown
  body?: Content
  headers?: Record<string, string | undefined>
  signal?: AbortSignal
}

/** A query value: a path given as bytes is encoded byte by byte, like a path in a URL. */
function encodeQueryValue(value: string | number | boolean | Uint8Array): string {
  return value instanceof Uint8Array ? encodeBytes(value) : encodeURIComponent(String(value))
}

/** Sends requests to one server and turns failed answers into `GitpgError`s. */
export class Transport {
  readonly #base: string
  readonly #headers: Record<string, string>
  readonly #fetch: typeof globalThis.fetch

  constructor({ baseUrl, apiKey, fetch, headers }: ClientOptions) {
    this.#base = baseUrl.replace(/\/+$/, '')
    this.#headers = {
      ...headers,
      ...(apiKey === undefined ? {} : { 'X-Internal-API-Key': apiKey }),
    }
    // a bare reference to the global fetch loses its `this` in browsers
    this.#fetch = fetch ?? ((input, init) => globalThis.fetch(input, init))
  }

  /** The answer to a request; throws a `GitpgError` unless its status is 2xx (or 304). */
  async send(spec: RequestSpec): Promise<Response> {
    const headers: Record<string, string> = { ...this.#headers }
    for (const [name, value] of Object.entries(spec.headers ?? {}))
      if (value !== undefined) headers[name] = value
    let body: RequestInit['body']
    if (spec.json !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(spec.json)
    } else if (spec.body !== undefined) {
      headers['Content-Type'] ??= 'application/octet-stream'
      body = spec.body as RequestInit['body']
    }
    const init: RequestInit & { duplex?: 'half' } = {
      method: spec.method,
      headers,
      body,
      signal: spec.signal,
    }
    // a streamed body needs half duplex (Node's fetch refuses it otherwise)
    if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
      init.duplex = 'half'
    let res: Response
    try {
      res = await this.#fetch(this.url(spec.path, spec.query), init)
    } catch (err) {
      if (spec.signal?.aborted) throw err
      throw new GitpgError({
        code: 'NETWORK_ERROR',
        status: 0,
        message: `${spec.method} ${spec.path}: ${(err as Error)?.message ?? String(err)}`,
        cause: err,
      })
    }
    if (res.ok || res.status === 304) return res
    throw await errorFromResponse(res)
  }

  /** The JSON answer to a request. */
  async json<T>(spec: RequestSpec): Promise<T> {
    return (await (await this.send(spec)).json()) as T
  }

  /** The answer's bytes. */
  async bytes(spec: RequestSpec): Promise<Uint8Array> {
    return new Uint8Array(await (await this.send(spec)).arrayBuffer())
  }

  /** The answer as text. */
  async text(spec: RequestSpec): Promise<string> {
    return (await this.send(spec)).text()
  }

  /** Sends a request whose answer has no body worth reading. */
  async empty(spec: RequestSpec): Promise<void> {
    const res = await this.send(spec)
    await res.body?.cancel()
  }

  /** The full URL of an encoded path and its query. */
  url(path: string, query: QueryValues = {}): string {
    const search = Object.entries(query)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeQueryValue(value!)}`)
      .join('&')
    return `${this.#base}${path}${search ? `?${search}` : ''}`
  }
}
