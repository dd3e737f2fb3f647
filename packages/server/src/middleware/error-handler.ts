import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Logger } from 'pino'
import { GitPgError, statusOf } from '../errors.ts'
import { errorPathJson } from '../routes/path-json.ts'
import type { AppEnv } from '../context.ts'

interface ErrorBody {
  code: string
  message: string
  [key: string]: unknown
}

const HTTP_CODES: Record<number, string> = {
  400: 'INVALID_JSON',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  '57P01',
  '57P03',
])

/** Maps any thrown error to a status and the JSON body; SQL and stacks never leave the server. */
export function describeError(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof GitPgError) {
    const code = err.code === 'REPO_NOT_FOUND' ? 'PROJECT_NOT_FOUND' : err.code
    return {
      status: statusOf(code),
      body: { ...errorPathJson(err.data, err.message), code },
    }
  }
  if (err instanceof HTTPException) {
    const code = HTTP_CODES[err.status] ?? (err.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST')
    const message =
      err.status === 400
        ? 'malformed JSON in request body'
        : err.status === 415
          ? 'this route takes a JSON body: send it with Content-Type: application/json'
          : err.message || code
    return { status: err.status, body: { code, message } }
  }
  const code = (err as { code?: unknown })?.code
  if (typeof code === 'string' && CONNECTION_ERRORS.has(code))
    return {
      status: 503,
      body: { code: 'DATABASE_UNAVAILABLE', message: 'the database is not reachable' },
    }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error' } }
}

export function errorHandler(logger: Logger): ErrorHandler<AppEnv> {
  return (err, c) => {
    const { status, body } = describeError(err)
    if (status >= 500)
      logger.error({ requestId: c.get('requestId'), err, code: body.code }, 'error')
    return errorResponse(c, status, body)
  }
}

export const notFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(c, 404, {
    code: 'NOT_FOUND',
    message: `no route for ${c.req.method} ${c.req.path}`,
  })

function errorResponse(c: Context, status: number, body: ErrorBody) {
  return c.json({ error: body }, status as ContentfulStatusCode)
}
