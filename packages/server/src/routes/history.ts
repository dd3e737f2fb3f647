import { createRoute, z } from '@hono/zod-openapi'
import {
  DEFAULT_RENAME_LIMIT,
  DEFAULT_RENAME_MAX_BYTES,
  DEFAULT_RENAME_MAX_STEPS,
  MAX_SCORE,
} from '@gitpg/git-pg-fs'
import type { CommitInfo, DiffEntry, RenameEntry } from '@gitpg/git-pg-fs'
import { ApiError } from '../errors.ts'
import type { AppConfig, RouteModule } from '../context.ts'
import {
  DEFAULT_DIFF_MAX_LINES,
  DEFAULT_DIFF_MAX_STEPS,
  DEFAULT_PATCH_MAX_BYTES,
  formatPatch,
} from '../domain/patch.ts'
import { normalizePath } from '../domain/paths.ts'
import { pathJson } from './path-json.ts'
import { pathFromQuery } from './url-path.ts'
import { openProject } from '../domain/projects.ts'
import { checkRef } from '../domain/ref-names.ts'
import {
  changesOrPatch,
  errors,
  json,
  PATCH_CONTENT_TYPE,
  ProjectId,
  QueryFlag,
  Signature,
} from './schemas.ts'

const Commit = z
  .object({
    oid: z.string(),
    message: z.string(),
    author: Signature,
    committer: Signature,
    parents: z.array(z.string()),
    tree: z.string(),
  })
  .openapi('Commit')

const Change = z
  .object({
    path: z.string(),
    pathBytes: z.string().optional(),
    status: z.enum(['A', 'M', 'D', 'T', 'R', 'C']),
    oldPath: z
      .string()
      .optional()
      .openapi({ description: 'the source of an R (rename) or C (copy)' }),
    oldPathBytes: z.string().optional(),
    similarity: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'of an R or C: percent, as git prints it (R087)' }),
    oldOid: z.string().nullable(),
    newOid: z.string().nullable(),
    oldMode: z.string().nullable(),
    newMode: z.string().nullable(),
  })
  .openapi('Change')

const params = z.object({ projectId: ProjectId })

/** The rename detection bounds from the settings. */
const renameOptions = (config: AppConfig) => ({
  renameLimit: config.renameLimit ?? DEFAULT_RENAME_LIMIT,
  maxBytes: config.renameMaxBytes ?? DEFAULT_RENAME_MAX_BYTES,
  maxSteps: config.renameMaxSteps ?? DEFAULT_RENAME_MAX_STEPS,
})
const Ref = z.string().min(1)

const log = createRoute({
  method: 'get',
  path: '/projects/{projectId}/log',
  summary: 'History newest first, like `git log [-- path]`, a page at a time',
  request: {
    params,
    query: z.object({
      ref: Ref.optional(),
      path: z.string().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      cursor: z.string().min(1).max(200).optional().openapi({ description: "a page's `next`" }),
      follow: QueryFlag.openapi({
        description: 'with `path`: follow it across renames and copies, like `git log --follow`',
      }),
    }),
  },
  responses: {
    200: json(
      z.object({ commits: z.array(Commit), next: z.string().nullable() }),
      'a page of commits',
    ),
    ...errors(400, 404),
  },
})

const commit = createRoute({
  method: 'get',
  path: '/projects/{projectId}/commits/{oid}',
  summary: 'A commit and the paths it changed (relative to its first parent)',
  request: { params: params.extend({ oid: z.string().min(4).max(40) }) },
  responses: {
    200: json(Commit.extend({ changes: z.array(Change) }), 'the commit'),
    ...errors(400, 404),
  },
})

/** Set to `true` on a patch whose rename detection stopped at a limit. */
export const RENAMES_LIMITED_HEADER = 'X-Gitpg-Renames-Limited'

const diff = createRoute({
  method: 'get',
  path: '/projects/{projectId}/diff',
  summary:
    'Changes between two refs, like `git diff --name-status --no-renames` (or `-M`, `-C`); or a patch',
  request: {
    params,
    query: z.object({
      from: Ref,
      to: Ref.optional().openapi({ description: 'default: the default branch' }),
      path: z.string().min(1).optional(),
      format: z.enum(['json', 'patch']).default('json'),
      renames: QueryFlag.openapi({
        description: "git's rename detection (`git diff -M`): status R with oldPath, similarity",
      }),
      copies: QueryFlag.openapi({
        description: 'copies too (`git diff -C`): status C; implies renames',
      }),
    }),
  },
  responses: {
    200: changesOrPatch(
      z.object({
        changes: z.array(Change),
        renamesLimited: z
          .boolean()
          .optional()
          .openapi({
            description:
              'with renames or copies: true when detection stopped at a limit (GITPG_RENAME_LIMIT, ' +
              '_MAX_BYTES, _MAX_STEPS), as git past diff.renameLimit: exact renames only, the ' +
              'rest added and deleted',
          }),
      }),
    ),
    ...errors(400, 404, 413),
  },
})

const commitJson = (c: CommitInfo) => ({
  oid: c.oid,
  message: c.message,
  author: c.author,
  committer: c.committer,
  parents: c.parents,
  tree: c.tree,
})

const changeJson = (d: DiffEntry | RenameEntry) => {
  const old =
    'oldPath' in d && d.oldPath !== null && d.score !== null
      ? {
          ...renameKeys(pathJson(d.oldPath)),
          similarity: Math.floor((d.score * 100) / MAX_SCORE),
        }
      : {}
  return {
    ...pathJson(d.path),
    status: d.status,
    ...old,
    oldOid: d.oldOid,
    newOid: d.newOid,
    oldMode: d.oldMode,
    newMode: d.newMode,
  }
}

const renameKeys = ({ path, pathBytes }: { path: string; pathBytes?: string }) =>
  pathBytes === undefined ? { oldPath: path } : { oldPath: path, oldPathBytes: pathBytes }

export const historyRoutes: RouteModule = (app, { store, cache, config }) => {
  const open = (projectId: string) => openProject({ store, cache, projectId })

  app.openapi(log, async (c) => {
    const { projectId } = c.req.valid('param')
    const q = c.req.valid('query')
    if (q.follow && q.path === undefined)
      throw new ApiError('FOLLOW_NEEDS_PATH', 'follow=true follows one path: give `path`')
    const repo = await open(projectId)
    const page = await repo.log({
      ref: q.ref === undefined ? undefined : checkRef(q.ref),
      path: q.path === undefined ? undefined : normalizePath(pathFromQuery(c.req.url, 'path')!),
      limit: q.limit,
      cursor: q.cursor,
      follow: q.follow,
      renames: renameOptions(config),
    })
    return c.json({ commits: page.commits.map(commitJson), next: page.next }, 200)
  })

  app.openapi(commit, async (c) => {
    const { projectId, oid } = c.req.valid('param')
    const repo = await open(projectId)
    const resolved = await repo.resolveRef(checkRef(oid))
    const [info, changes] = await Promise.all([
      repo.readCommit(resolved),
      repo.changedPaths(resolved),
    ])
    return c.json({ ...commitJson(info), changes: changes.map(changeJson) }, 200)
  })

  app.openapi(diff, async (c) => {
    const { projectId } = c.req.valid('param')
    const q = c.req.valid('query')
    const repo = await open(projectId)
    const query = {
      from: checkRef(q.from),
      to: q.to === undefined ? `refs/heads/${repo.defaultBranch}` : checkRef(q.to),
      paths: q.path === undefined ? [] : [normalizePath(pathFromQuery(c.req.url, 'path')!)],
    }
    const copies = q.copies
    let changes: (DiffEntry | RenameEntry)[]
    // with renames: whether detection stopped at a limit and left renames as added and deleted
    let limited: { renamesLimited: boolean } | null = null
    if (q.renames || copies) {
      const options = { ...renameOptions(config), copies }
      const result = await repo.diffWithRenames({ ...query, options })
      changes = result.changes
      limited = { renamesLimited: result.limited }
    } else changes = await repo.diff(query)
    if (q.format === 'patch') {
      const limits = {
        maxLines: config.diffMaxLines ?? DEFAULT_DIFF_MAX_LINES,
        maxSteps: config.diffMaxSteps ?? DEFAULT_DIFF_MAX_STEPS,
        maxBytes: config.patchMaxBytes ?? DEFAULT_PATCH_MAX_BYTES,
      }
      const patch = await formatPatch({ repo, changes, limits })
      const headers: Record<string, string> = { 'Content-Type': PATCH_CONTENT_TYPE }
      if (limited?.renamesLimited) headers[RENAMES_LIMITED_HEADER] = 'true'
      return c.body(new Uint8Array(patch), 200, headers)
    }
    return c.json({ changes: changes.map(changeJson), ...limited }, 200)
  })
}
