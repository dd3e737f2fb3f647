import { API_KEY } from './gitpg-server.ts'

/** Encodes a repository path for a URL, segment by segment. */
export const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/')

/**
 * The few gitpg HTTP calls the benchmark makes, with the API key; a non-2xx answer throws with
 * the server's error code and message.
 */
export class ApiClient {
  readonly base: string

  constructor(base: string) {
    this.base = base
  }

  async request(
    method: string,
    path: string,
    {
      json,
      body,
      headers,
    }: { json?: unknown; body?: Buffer; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        'X-Internal-API-Key': API_KEY,
        ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/octet-stream' } : {}),
        ...headers,
      },
      body: json !== undefined ? JSON.stringify(json) : body,
    })
    if (!res.ok) {
      const text = await res.text()
      const err = new Error(`${method} ${path.slice(0, 80)} → ${res.status} ${text.slice(0, 300)}`)
      throw Object.assign(err, { status: res.status })
    }
    return res
  }

  async json<T = Record<string, unknown>>(
    method: string,
    path: string,
    json?: unknown,
  ): Promise<T> {
    return (await (await this.request(method, path, { json })).json()) as T
  }

  async bytes(path: string): Promise<Buffer> {
    return Buffer.from(await (await this.request('GET', path)).arrayBuffer())
  }
}
