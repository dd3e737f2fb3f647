import { createHash } from 'node:crypto'
import { decodePath, encodePath, GitPgError } from '@gitpg/git-pg-fs'

/** Where a grep page resumes: the commit the search started at, and its next matching line. */
export interface GrepCursor {
  /** null: the project had no commit (only pending creations were searched) */
  commit: string | null
  path: string
  line: number
}

/** What a cursor is valid for: the same pattern, options, pathspec and user. */
export function grepFingerprint(query: {
  pattern: string
  regex: boolean
  ignoreCase: boolean
  path?: string
  userId?: string
}): string {
  const parts = [query.pattern, query.regex, query.ignoreCase, query.path ?? '', query.userId ?? '']
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12)
}

const invalid = () =>
  new GitPgError('INVALID_CURSOR', 'the cursor is not one this server issued for this search')

/**
 * An opaque page cursor: `commit:fingerprint:line:path-bytes`, base64url.
 *
 * @example
 * const next = encodeGrepCursor({ commit, path: 'a.ts', line: 12 }, fingerprint)
 * decodeGrepCursor(next, fingerprint) // { commit, path: 'a.ts', line: 12 }
 */
export function encodeGrepCursor(cursor: GrepCursor, fingerprint: string): string {
  const path = encodePath(cursor.path).toString('base64url')
  const text = `${cursor.commit ?? '-'}:${fingerprint}:${cursor.line}:${path}`
  return Buffer.from(text).toString('base64url')
}

/** The cursor's position; `INVALID_CURSOR` when it is malformed or from another search. */
export function decodeGrepCursor(cursor: string, fingerprint: string): GrepCursor {
  const m = /^([0-9a-f]{40}|-):([\w-]{12}):(\d{1,12}):([\w-]+)$/.exec(
    Buffer.from(cursor, 'base64url').toString(),
  )
  if (!m || m[2] !== fingerprint) throw invalid()
  const line = Number(m[3])
  if (line < 1) throw invalid()
  return {
    commit: m[1] === '-' ? null : m[1],
    path: decodePath(Buffer.from(m[4], 'base64url')),
    line,
  }
}
