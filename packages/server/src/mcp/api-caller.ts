import type { ApiApp } from '../context.ts'

/** An answer of the API that was not a success: its code, status and message. */
export class ApiCallError extends Error {
  readonly code: string
  readonly status: number

  constructor({ code, status, message }: { code: string; status: number; message: string }) {
    super(message)
    this.name = 'ApiCallError'
    this.code = code
    this.status = status
  }
}

export interface ApiCall {
  method: string
  /** the route's path with every parameter already percent-encoded (`encodePathParam`) */
  path: string
  query?: Record<string, string | number | boolean | undefined>
  json?: unknown
  body?: string
}

/** `docs/a b.md` → `docs/a%20b.md`: each segment encoded, the slashes kept. */
export const encodePathParam = (path: string) => path.split('/').map(encodeURIComponent).join('/')

/**
 * Calls the REST API in-process (`app.request`) with the caller's own key, so that a tool is
 * scoped, validated and answered exactly like the route it wraps. Throws `ApiCallError` with the
 * API's code on an error answer.
 *
 * @example
 * const api = new ApiCaller({ app, key })
 * const { commits } = await api.json<{ commits: Commit[] }>({ method: 'GET', path: '/projects/docs/log' })
 */
export class ApiCaller {
  readonly #app: ApiApp
  readonly #key: string

  constructor({ app, key }: { app: ApiApp; key: string }) {
    this.#app = app
    this.#key = key
  }

  async text(call: ApiCall): Promise<string> {
    return (await this.#request(call)).text()
  }

  async json<T>(call: ApiCall): Promise<T> {
    return (await (await this.#request(call)).json()) as T
  }

  async #request({ method, path, query = {}, json, body }: ApiCall): Promise<Response> {
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) params.set(name, String(value))
    const search = params.size > 0 ? `?${params}` : ''
    // a `.` or `..` segment in a tool's argument would be resolved by the URL into another route
    if (new URL(path, 'http://mcp.invalid').pathname !== path)
      throw new ApiCallError({
        code: 'INVALID_PATH',
        status: 400,
        message: `"." and ".." are not names of projects, users or files: ${path}`,
      })
    const headers: Record<string, string> = { 'X-Internal-API-Key': this.#key }
    if (json !== undefined) headers['Content-Type'] = 'application/json'
    const res = await this.#app.request(`${path}${search}`, {
      method,
      headers,
      body: json !== undefined ? JSON.stringify(json) : body,
    })
    if (res.ok) return res
    const text = await res.text()
    let error: { code?: string; message?: string } = {}
    try {
      error = (JSON.parse(text) as { error?: typeof error }).error ?? {}
    } catch {
      // not JSON: keep the text as the message
    }
    throw new ApiCallError({
      code: error.code ?? 'INTERNAL',
      status: res.status,
      message: error.message ?? text.slice(0, 500),
    })
  }
}
