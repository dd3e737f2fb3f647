import type { ServerErrorCode } from './generated/api.ts'

/**
 * The codes a `GitpgError` carries: every code the server answers with, and the client's own
 * (`NETWORK_ERROR` when no answer came, `HTTP_ERROR` for an answer without an error body,
 * `INVALID_PATH` for a path the client refuses to put in a URL). A newer server may send a code
 * this version does not list, so any string is accepted too.
 */
export type ErrorCode =
  | ServerErrorCode
  | 'NETWORK_ERROR'
  | 'HTTP_ERROR'
  | 'INVALID_PATH'
  | (string & NonNullable<unknown>)

/**
 * Every failure of a client call: the server's `{ error: { code, message, ...data } }` with the
 * HTTP status, or a client-side failure (`status` 0 when no answer came).
 *
 * @example
 * try {
 *   await client.projects.get('missing')
 * } catch (err) {
 *   if (err instanceof GitpgError && err.code === 'PROJECT_NOT_FOUND') console.log(err.status) // 404
 * }
 */
export class GitpgError extends Error {
  readonly code: ErrorCode
  readonly status: number
  /** the rest of the error body, e.g. `head` of a `REF_CONFLICT`, `currentVersion` of a 412 */
  readonly data: Readonly<Record<string, unknown>>

  constructor({
    code,
    status,
    message,
    data = {},
    cause,
  }: {
    code: ErrorCode
    status: number
    message: string
    data?: Record<string, unknown>
    cause?: unknown
  }) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'GitpgError'
    this.code = code
    this.status = status
    this.data = data
  }
}

/** Whether `err` is a `GitpgError`, and of `code` when one is given. */
export function isGitpgError(err: unknown, code?: ErrorCode): err is GitpgError {
  return err instanceof GitpgError && (code === undefined || err.code === code)
}

/** The error a failed answer stands for, from its JSON error body when it has one. */
export async function errorFromResponse(res: Response): Promise<GitpgError> {
  const text = await res.text().catch(() => '')
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  const error = (body as { error?: unknown } | undefined)?.error
  if (
    error &&
    typeof error === 'object' &&
    typeof (error as { code?: unknown }).code === 'string'
  ) {
    const { code, message, ...data } = error as { code: string; message?: unknown }
    return new GitpgError({
      code,
      status: res.status,
      message: typeof message === 'string' ? message : code,
      data,
    })
  }
  const summary = text.trim().slice(0, 200)
  return new GitpgError({
    code: 'HTTP_ERROR',
    status: res.status,
    message: `HTTP ${res.status}${summary ? `: ${summary}` : ''}`,
  })
}
