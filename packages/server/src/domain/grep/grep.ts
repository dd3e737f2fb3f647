import type { Repository } from '@gitpg/git-pg-fs'
import { ApiError } from '../../errors.ts'
import type { PendingStore } from '../../store/pending-store.ts'
import { readPoint } from '../file-reads.ts'
import { contextLines } from './context-lines.ts'
import { grepContents, type ContentChunk } from './grep-contents.ts'
import {
  decodeGrepCursor,
  encodeGrepCursor,
  grepFingerprint,
  type GrepCursor,
} from './grep-cursor.ts'
import { grepFiles } from './grep-files.ts'
import { compileMatcher, type LineMatcher } from './line-matcher.ts'
import type { ListingCache } from './listing-cache.ts'
import { byteKey, compilePathspec } from './pathspec.ts'

export interface GrepQuery {
  pattern: string
  regex: boolean
  ignoreCase: boolean
  ref?: string
  /** a git pathspec: a prefix, or a glob whose `*` also matches `/` */
  path?: string
  /** lines of context before and after each match */
  context: number
  userId?: string
  limit: number
  cursor?: string
}

export interface GrepLimits {
  /** files one search may consider (the listing's bound) */
  maxFiles: number
  /** bytes of line text one page holds (a single larger match is answered alone) */
  maxBytes: number
  /** how long one request may search, in ms */
  timeoutMs: number
}

export interface GrepMatch {
  path: string
  line: number
  text: Buffer
  before?: Buffer[]
  after?: Buffer[]
}

export const DEFAULT_GREP_LIMITS: GrepLimits = {
  maxFiles: 200_000,
  maxBytes: 16 * 1024 * 1024,
  timeoutMs: 10_000,
}

/** Byte 0 within the first 8000 bytes: git's test for a binary file. */
const isBinary = (content: Buffer) =>
  (content.length <= 8000 ? content : content.subarray(0, 8000)).includes(0)

/** The search ran past `GITPG_GREP_TIMEOUT`: 503 `GREP_TIMEOUT`. */
export class GrepTimeoutError extends ApiError {
  constructor(timeoutMs: number) {
    super(
      'GREP_TIMEOUT',
      `the search took longer than ${timeoutMs} ms (GITPG_GREP_TIMEOUT): narrow it with a path or a more specific pattern`,
      { timeoutMs },
    )
  }
}

/**
 * Searches file contents like `git grep -n -I [-i] [-F|-E] -e <pattern> <ref> -- <path>`, a page
 * of at most `limit` matching lines at a time, in git's order (path bytes, then line). With
 * `userId`, the user's pending versions are searched instead of the committed ones. `next` is the
 * cursor of the next page (pinned to the commit the first page searched), null after the last.
 *
 * @example
 * const page = await grep({ repo, pending, query: { pattern: 'TODO', regex: false,
 *   ignoreCase: false, context: 0, limit: 100 }, limits: DEFAULT_GREP_LIMITS })
 */
export async function grep({
  repo,
  pending,
  query,
  limits,
  listings,
}: {
  repo: Repository
  pending: PendingStore
  query: GrepQuery
  limits: GrepLimits
  /** tree listings kept between searches */
  listings: ListingCache
}): Promise<{ matches: GrepMatch[]; next: string | null }> {
  const deadline = performance.now() + limits.timeoutMs
  const check = () => {
    if (performance.now() > deadline) throw new GrepTimeoutError(limits.timeoutMs)
  }
  const match = compileMatcher(query)
  const pathspec = compilePathspec(query.path)
  const fingerprint = grepFingerprint(query)
  const from = query.cursor ? decodeGrepCursor(query.cursor, fingerprint) : null
  const [commit, overlay] = await Promise.all([
    from ? from.commit : readPoint(repo, query.ref),
    query.userId ? pending.list(repo.repoId, query.userId) : Promise.resolve([]),
  ])
  let files = await grepFiles({ repo, commit, pathspec, overlay, limit: limits.maxFiles, listings })
  const fromKey = from ? byteKey(from.path) : null
  if (fromKey !== null) files = files.filter((f) => f.key >= fromKey)
  const start = from && fromKey !== null ? { key: fromKey, line: from.line } : null

  const found: Found = { matches: [], bytes: 0 }
  const page = (next: GrepCursor | null) => ({
    matches: found.matches,
    next: next && encodeGrepCursor(next, fingerprint),
  })
  for await (const chunk of grepContents({ repo, pending, userId: query.userId, files })) {
    const stop = searchChunk({ chunk, match, query, limits, from: start, check, found })
    if (stop) return page({ commit, ...stop })
  }
  return page(null)
}

/** The matches of a page so far, and the bytes of their lines. */
interface Found {
  matches: GrepMatch[]
  bytes: number
}

/**
 * Searches one chunk of contents into `found`; returns where the next page starts once this
 * one is full, else null. (Synchronous, out of `grep`: V8 compiles an async function whose
 * loops run long at great cost, as on a server's first search.)
 */
function searchChunk({
  chunk,
  match,
  query,
  limits,
  from,
  check,
  found,
}: {
  chunk: ContentChunk
  match: LineMatcher
  query: GrepQuery
  limits: GrepLimits
  from: { key: string; line: number } | null
  check: () => void
  found: Found
}): { path: string; line: number } | null {
  const { matches } = found
  for (let i = 0; i < chunk.files.length; i++) {
    check()
    const file = chunk.files[i]
    const content = chunk.contents[i]
    if (!content || isBinary(content)) continue
    const fromLine = file.key === from?.key ? from.line : 1
    for (const { line, start, end } of match(content, fromLine, check)) {
      const size = end - start
      if (
        matches.length >= query.limit ||
        (matches.length > 0 && found.bytes + size > limits.maxBytes)
      )
        return { path: file.path, line }
      const m: GrepMatch = { path: file.path, line, text: content.subarray(start, end) }
      if (query.context > 0) {
        const around = contextLines({ content, start, end, count: query.context })
        m.before = around.before
        m.after = around.after
        found.bytes += [...around.before, ...around.after].reduce((n, l) => n + l.length, 0)
      }
      matches.push(m)
      found.bytes += size
    }
  }
  return null
}
