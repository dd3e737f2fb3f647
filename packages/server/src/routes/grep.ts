import { createRoute, z } from '@hono/zod-openapi'
import { isUtf8 } from 'node:buffer'
import type { RouteModule } from '../context.ts'
import { DEFAULT_GREP_LIMITS, grep, type GrepMatch } from '../domain/grep/grep.ts'
import { ListingCache } from '../domain/grep/listing-cache.ts'
import { openProject } from '../domain/projects.ts'
import { DEFAULT_READ_LIMITS } from '../domain/read-limits.ts'
import { checkRef } from '../domain/ref-names.ts'
import { PathBytes, pathJson } from './path-json.ts'
import { pathFromQuery } from './url-path.ts'
import { errors, json, ProjectId, QueryFlag, UserId } from './schemas.ts'

/** Most matches a page may ask for unless `GITPG_GREP_MAX_LIMIT` says otherwise. */
export const DEFAULT_GREP_MAX_LIMIT = 1000
/** Most context lines on each side of a match. */
export const MAX_GREP_CONTEXT = 100

const GrepMatchJson = z
  .object({
    path: z.string(),
    pathBytes: PathBytes.optional(),
    line: z.number().int().openapi({ description: '1-based line number' }),
    text: z.string().openapi({ description: 'the line without its newline' }),
    textBytes: z
      .string()
      .optional()
      .openapi({ description: "base64 of the line's exact bytes, when they are not UTF-8" }),
    before: z.array(z.string()).optional(),
    after: z.array(z.string()).optional(),
  })
  .openapi('GrepMatch')

const route = createRoute({
  method: 'get',
  path: '/projects/{projectId}/grep',
  summary:
    'Search file contents like `git grep -n -I [-i] [-F|-E] -e <pattern> <ref> -- <path>`, ' +
    'a page at a time',
  request: {
    params: z.object({ projectId: ProjectId }),
    query: z.object({
      pattern: z
        .string()
        .max(1000)
        .openapi({ description: 'a fixed string, or with regex=true RE2 syntax' }),
      regex: QueryFlag,
      ignoreCase: QueryFlag,
      ref: z.string().min(1).optional(),
      path: z
        .string()
        .max(4096)
        .optional()
        .openapi({ description: 'a git pathspec: a prefix, or a glob whose `*` also matches `/`' }),
      context: z.coerce.number().int().min(0).max(MAX_GREP_CONTEXT).default(0),
      userId: UserId.optional(),
      limit: z.coerce.number().int().min(1).optional(),
      cursor: z.string().min(1).max(8000).optional().openapi({ description: "a page's `next`" }),
    }),
  },
  responses: {
    200: json(
      z.object({ matches: z.array(GrepMatchJson), next: z.string().nullable() }),
      'a page of matching lines, in path order then line order',
    ),
    ...errors(400, 404, 422, 503),
  },
})

const text = (b: Buffer) => b.toString('utf8')

function matchJson(m: GrepMatch) {
  return {
    ...pathJson(m.path),
    line: m.line,
    text: text(m.text),
    ...(isUtf8(m.text) ? {} : { textBytes: m.text.toString('base64') }),
    ...(m.before ? { before: m.before.map(text), after: m.after!.map(text) } : {}),
  }
}

export const grepRoutes: RouteModule = (app, { store, cache, pending, config }) => {
  const limits = {
    ...DEFAULT_GREP_LIMITS,
    maxFiles: config.readLimits?.listMaxFiles ?? DEFAULT_READ_LIMITS.listMaxFiles,
    ...config.grepLimits,
  }
  const maxLimit = config.grepMaxLimit ?? DEFAULT_GREP_MAX_LIMIT
  const listings = new ListingCache({ maxBytes: config.grepListingBytes })

  app.openapi(route, async (c) => {
    const { projectId } = c.req.valid('param')
    const q = c.req.valid('query')
    const repo = await openProject({ store, cache, projectId })
    const page = await grep({
      repo,
      pending,
      query: {
        pattern: q.pattern,
        regex: q.regex,
        ignoreCase: q.ignoreCase,
        ref: q.ref === undefined ? undefined : checkRef(q.ref),
        path: q.path === undefined ? undefined : pathFromQuery(c.req.url, 'path'),
        context: q.context,
        userId: q.userId,
        limit: Math.min(q.limit ?? 100, maxLimit),
        cursor: q.cursor,
      },
      limits,
      listings,
    })
    return c.json({ matches: page.matches.map(matchJson), next: page.next }, 200)
  })
}
