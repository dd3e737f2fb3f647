import { z } from '@hono/zod-openapi'

/** Shared request and response schemas: validation and the OpenAPI document come from these. */

export const ProjectId = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" and "-", at most 100')
  .openapi({ example: 'docs' })

export const UserId = z
  .string()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\x00-\x1f\x7f/]+$/, 'no "/" or control characters')
  .openapi({ example: 'ada' })

export const FilePath = z
  .string()
  .min(1)
  .openapi({
    description:
      'repository-relative path; may contain "/"; percent-encoded bytes (`caf%E8.txt`) name ' +
      'a path that is not UTF-8',
    example: 'docs/intro.md',
  })

/**
 * A yes/no query parameter, the same on every route: `true` or `1` is yes, `false`, `0` or
 * leaving it out is no; anything else is 400 `VALIDATION_FAILED`. The typed client sends it as
 * a boolean.
 *
 * @example
 * query: z.object({ follow: QueryFlag.openapi({ description: 'like `git log --follow`' }) })
 */
export const QueryFlag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1')

export const Oid = z.string().regex(/^[0-9a-f]{40}$/, 'a 40-character commit id')

export const SignatureText = z
  .string()
  .min(1)
  .max(256)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^<>\x00-\x1f\x7f]+$/, 'no "<", ">" or control characters')

export const AuthorInput = z.object({ name: SignatureText, email: SignatureText })

export const Signature = z
  .object({
    name: z.string(),
    email: z.string(),
    timestamp: z.number().int().openapi({ description: 'seconds since the epoch' }),
    timezoneOffset: z.number().int().openapi({ description: 'minutes east of UTC' }),
  })
  .openapi('Signature')

export const ErrorBody = z
  .object({
    error: z
      .object({ code: z.string(), message: z.string() })
      .catchall(z.unknown())
      .openapi({ example: { code: 'PROJECT_NOT_FOUND', message: 'project x does not exist' } }),
  })
  .openapi('Error')

const errorDescriptions: Record<number, string> = {
  400: 'invalid input (VALIDATION_FAILED, INVALID_JSON, INVALID_PATH, INVALID_REF_NAME)',
  401: 'missing, wrong, expired or revoked key (UNAUTHORIZED)',
  403: 'the key lacks the scope this needs (FORBIDDEN)',
  404: 'unknown project, path, ref or branch',
  409: 'conflict with the current state',
  412: 'the pending version changed (PRECONDITION_FAILED)',
  413: 'request body too large (PAYLOAD_TOO_LARGE)',
  422: 'nothing to commit (NOTHING_TO_COMMIT)',
}

/** OpenAPI entries for the error statuses a route can answer with (and 401, 403: any key's). */
export function errors(...statuses: number[]) {
  return Object.fromEntries(
    [...new Set([401, 403, ...statuses])].map((s) => [
      s,
      {
        description: errorDescriptions[s] ?? 'error',
        content: { 'application/json': { schema: ErrorBody } },
      },
    ]),
  )
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

/** The content type of a unified diff (`format=patch`). */
export const PATCH_CONTENT_TYPE = 'text/x-diff; charset=utf-8'

/**
 * A 200 answering the changes as `schema` (JSON), or with format=patch as a unified diff.
 *
 * @example
 * responses: { 200: changesOrPatch(z.object({ changes: z.array(Change) })), ...errors(400) }
 */
export const changesOrPatch = <T extends z.ZodType>(schema: T) => ({
  description: 'the changes (JSON), or with format=patch a unified diff',
  content: {
    'application/json': { schema },
    'text/x-diff': { schema: { type: 'string' as const } },
  },
})

export const binary = (description: string) => ({
  description,
  content: {
    'application/octet-stream': { schema: { type: 'string' as const, format: 'binary' } },
  },
})
