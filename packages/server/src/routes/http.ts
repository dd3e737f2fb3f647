import type { AuthorInput } from '@gitpg/git-pg-fs'
import { ApiError } from '../errors.ts'

/** An entity tag as sent: `"v"`. */
export const etag = (value: string) => `"${value}"`

/** The tags of an `If-Match` / `If-None-Match` header (`*` kept as is), unquoted. */
export function parseTags(header: string | undefined): string[] | undefined {
  if (header === undefined) return undefined
  return header
    .split(',')
    .map((t) =>
      t
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .filter((t) => t.length > 0)
}

/** `If-None-Match` against the current tag: true when the client's copy is current. */
export function notModified(header: string | undefined, current: string): boolean {
  const tags = parseTags(header)
  return tags !== undefined && (tags.includes('*') || tags.includes(current))
}

/** The pending-version precondition of a request (`If-Match: "<version>"`, `If-None-Match: *`). */
export function pendingPrecondition(headers: { ifMatch?: string; ifNoneMatch?: string }): {
  ifMatch?: string
  ifNoneMatch?: boolean
} {
  const match = parseTags(headers.ifMatch)
  const noneMatch = parseTags(headers.ifNoneMatch)
  if (match && match.length !== 1)
    throw new ApiError('VALIDATION_FAILED', 'If-Match takes one pending version')
  if (match && match[0] !== '*' && !/^\d{1,19}$/.test(match[0]))
    throw new ApiError('VALIDATION_FAILED', 'If-Match must be a pending version (its ETag) or *')
  if (noneMatch && (noneMatch.length !== 1 || noneMatch[0] !== '*'))
    throw new ApiError('VALIDATION_FAILED', 'If-None-Match on a pending write must be *')
  return { ifMatch: match?.[0], ifNoneMatch: noneMatch ? true : undefined }
}

const DEFAULT_AUTHOR = { name: 'gitpg', email: 'gitpg@localhost' }

/** The author of a direct write, from `X-Author-Name` / `X-Author-Email`. */
export function authorFromHeaders(headers: {
  'x-author-name'?: string
  'x-author-email'?: string
}): AuthorInput {
  return {
    name: headers['x-author-name'] ?? DEFAULT_AUTHOR.name,
    email: headers['x-author-email'] ?? DEFAULT_AUTHOR.email,
  }
}
