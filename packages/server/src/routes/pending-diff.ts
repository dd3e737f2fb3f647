import { createRoute, z } from '@hono/zod-openapi'
import type { DiffEntry } from '@gitpg/git-pg-fs'
import type { RouteModule } from '../context.ts'
import {
  DEFAULT_DIFF_MAX_LINES,
  DEFAULT_DIFF_MAX_STEPS,
  DEFAULT_PATCH_MAX_BYTES,
  formatPatch,
} from '../domain/patch.ts'
import { pendingBlobReader, pendingDiff } from '../domain/pending-diff.ts'
import { normalizePath } from '../domain/paths.ts'
import { openProject } from '../domain/projects.ts'
import { DEFAULT_READ_LIMITS } from '../domain/read-limits.ts'
import { PathBytes, pathJson } from './path-json.ts'
import { pathFromQuery } from './url-path.ts'
import { changesOrPatch, errors, PATCH_CONTENT_TYPE, ProjectId, UserId } from './schemas.ts'

const PendingDiffChange = z
  .object({
    path: z.string(),
    pathBytes: PathBytes.optional(),
    status: z.enum(['A', 'M', 'D', 'T']),
    oldOid: z.string().nullable(),
    newOid: z.string().nullable(),
    oldMode: z.string().nullable(),
    newMode: z.string().nullable(),
  })
  .openapi('PendingDiffChange')

/**
 * Registered before the pending routes, so `GET /pending/{projectId}/{userId}/diff` is this
 * diff: the pending content of a top-level file named `diff` is read with
 * `GET /files/{projectId}/diff?userId=`.
 */
const diff = createRoute({
  method: 'get',
  path: '/pending/{projectId}/{userId}/diff',
  summary:
    "The user's pending changes against the default branch, like `git diff --no-renames HEAD` " +
    'in a work tree holding them; with format=patch, the unified diff',
  request: {
    params: z.object({ projectId: ProjectId, userId: UserId }),
    query: z.object({
      path: z.string().min(1).optional().openapi({ description: 'a file or directory' }),
      format: z.enum(['json', 'patch']).default('json'),
    }),
  },
  responses: {
    200: changesOrPatch(
      z.object({
        base: z.string().nullable().openapi({ description: 'the head compared against' }),
        changes: z.array(PendingDiffChange),
      }),
    ),
    ...errors(400, 404, 409, 413, 422),
  },
})

const changeJson = (d: DiffEntry) => ({
  ...pathJson(d.path),
  status: d.status,
  oldOid: d.oldOid,
  newOid: d.newOid,
  oldMode: d.oldMode,
  newMode: d.newMode,
})

export const pendingDiffRoutes: RouteModule = (app, { store, cache, pending, config }) => {
  const limit = config.readLimits?.listMaxFiles ?? DEFAULT_READ_LIMITS.listMaxFiles

  app.openapi(diff, async (c) => {
    const { projectId, userId } = c.req.valid('param')
    const { format } = c.req.valid('query')
    const raw = pathFromQuery(c.req.url, 'path')
    const path = raw === undefined ? '' : normalizePath(raw)
    const repo = await openProject({ store, cache, projectId })
    const found = await pendingDiff({ repo, pending, userId, path, limit })
    if (format === 'patch') {
      const limits = {
        maxLines: config.diffMaxLines ?? DEFAULT_DIFF_MAX_LINES,
        maxSteps: config.diffMaxSteps ?? DEFAULT_DIFF_MAX_STEPS,
        maxBytes: config.patchMaxBytes ?? DEFAULT_PATCH_MAX_BYTES,
      }
      const readBlobs = pendingBlobReader({ repo, pending, userId, rows: found.rows })
      const patch = await formatPatch({ repo, changes: found.changes, limits, readBlobs })
      return c.body(new Uint8Array(patch), 200, { 'Content-Type': PATCH_CONTENT_TYPE })
    }
    return c.json({ base: found.base, changes: found.changes.map(changeJson) }, 200)
  })
}
