import { createRoute, z } from '@hono/zod-openapi'
import type { RouteModule } from '../context.ts'
import { blame } from '../domain/blame.ts'
import { normalizePath } from '../domain/paths.ts'
import { openProject } from '../domain/projects.ts'
import { checkRef } from '../domain/ref-names.ts'
import { openapiWithPath } from './openapi.ts'
import { PathBytes, pathJson } from './path-json.ts'
import { errors, FilePath, json, ProjectId, Signature, UserId } from './schemas.ts'

const LineNumber = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER)

const BlameLine = z
  .object({
    line: z.number().int().openapi({ description: '1-based line of the file' }),
    commit: z.string(),
    origPath: z.string().openapi({ description: 'the path the line had in `commit`' }),
    origPathBytes: PathBytes.optional(),
    origLine: z.number().int().openapi({ description: '1-based line in `origPath` at `commit`' }),
  })
  .openapi('BlameLine')

const BlameCommit = z
  .object({
    author: Signature,
    committer: Signature,
    summary: z.string(),
    boundary: z.boolean().openapi({ description: 'the commit has no parent' }),
    previous: z
      .object({ commit: z.string(), path: z.string(), pathBytes: PathBytes.optional() })
      .nullable()
      .openapi({ description: "the file's version before `commit` changed it" }),
  })
  .openapi('BlameCommit')

const route = createRoute({
  method: 'get',
  path: '/projects/{projectId}/blame/{path}',
  summary:
    'Who wrote each line, like `git blame --porcelain <ref> [-L start,end] -- <path>`, ' +
    'following whole-file renames',
  request: {
    params: z.object({ projectId: ProjectId, path: FilePath }),
    query: z.object({
      ref: z.string().min(1).optional().openapi({ description: 'branch, tag or commit id' }),
      start: LineNumber.optional().openapi({ description: 'first line (1-based)' }),
      end: LineNumber.optional().openapi({ description: 'last line; past the end: the end' }),
      userId: UserId.optional().openapi({
        description:
          "blame this user's pending version: its new lines belong to commit 000…0 " +
          '(Not Committed Yet), as git blame shows changes of a work tree',
      }),
    }),
  },
  responses: {
    200: json(
      z.object({
        head: z.string().openapi({ description: 'the commit blamed from' }),
        oid: z.string().openapi({ description: "the file's blob id" }),
        lineCount: z.number().int(),
        lines: z.array(BlameLine),
        commits: z.record(z.string(), BlameCommit),
      }),
      'each line of the range, and the commits they name',
    ),
    ...errors(400, 404, 413, 422),
  },
})

export const blameRoutes: RouteModule = (app, { store, cache, config, pending }) => {
  openapiWithPath(app, route, async (c) => {
    const { projectId, path } = c.req.valid('param')
    const q = c.req.valid('query')
    const repo = await openProject({ store, cache, projectId })
    const answer = await blame({
      repo,
      ref: q.ref === undefined ? undefined : checkRef(q.ref),
      path: normalizePath(path),
      start: q.start,
      end: q.end,
      limits: config.blameLimits,
      pending,
      userId: q.userId,
    })
    const commits: Record<string, z.infer<typeof BlameCommit>> = {}
    for (const [oid, info] of answer.commits) {
      const previous = info.previous
        ? { commit: info.previous.commit, ...pathJson(info.previous.path) }
        : null
      commits[oid] = { ...info, previous }
    }
    const lines = answer.lines.map((l) => {
      const { path: origPath, pathBytes } = pathJson(l.origPath)
      return {
        line: l.line,
        commit: l.commit,
        origPath,
        ...(pathBytes ? { origPathBytes: pathBytes } : {}),
        origLine: l.origLine,
      }
    })
    return c.json(
      { head: answer.head, oid: answer.oid, lineCount: answer.lineCount, lines, commits },
      200,
    )
  })
}
