import { createRoute, z } from '@hono/zod-openapi'
import type { RouteModule } from '../context.ts'
import { commitPending } from '../domain/commit-pending.ts'
import { normalizePath } from '../domain/paths.ts'
import { openProject } from '../domain/projects.ts'
import { pathFromBytes, pathFromText, PathBytes, pathListJson } from './path-json.ts'
import { AuthorInput, errors, json, Oid, ProjectId, UserId } from './schemas.ts'

const create = createRoute({
  method: 'post',
  path: '/projects/{projectId}/commits',
  summary: "Commit the user's pending changes (all, or `paths`) and clear them, atomically",
  request: {
    params: z.object({ projectId: ProjectId }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            userId: UserId,
            message: z.string().min(1).max(65536),
            author: AuthorInput,
            paths: z.array(z.string()).min(1).max(100_000).optional(),
            pathBytes: z
              .array(PathBytes)
              .min(1)
              .max(100_000)
              .optional()
              .openapi({ description: 'more paths to commit, as base64 of their bytes' }),
            branch: z.string().min(1).optional(),
            expectedHead: Oid.optional().openapi({
              description:
                '409 REF_CONFLICT if the branch is elsewhere when the commit takes its turn; ' +
                'without it, commits of a branch take turns and each lands on the head it finds',
            }),
          }),
        },
      },
    },
  },
  responses: {
    201: json(
      z
        .object({
          commit: z.string(),
          branch: z.string(),
          parent: z.string().nullable(),
          paths: z.array(z.string()).openapi({ description: 'the pending paths committed' }),
          pathBytes: z
            .array(PathBytes.nullable())
            .optional()
            .openapi({ description: 'when a committed path is not UTF-8: its bytes, by index' }),
        })
        .openapi('CommitCreated'),
      'committed',
    ),
    ...errors(400, 404, 409, 422),
  },
})

export const commitsRoutes: RouteModule = (app, { store, cache, pending }) => {
  app.openapi(create, async (c) => {
    const { projectId } = c.req.valid('param')
    const body = c.req.valid('json')
    const given =
      body.paths || body.pathBytes
        ? [...(body.paths ?? []).map(pathFromText), ...(body.pathBytes ?? []).map(pathFromBytes)]
        : undefined
    const paths = given && [...new Set(given.map((p) => normalizePath(p)))]
    const repo = await openProject({ store, cache, projectId })
    const result = await commitPending({ repo, pending, ...body, paths })
    const listed = pathListJson(result.paths)
    return c.json(
      {
        commit: result.oid,
        branch: result.branch,
        parent: result.parent,
        paths: listed.paths,
        ...(listed.bytes ? { pathBytes: listed.bytes } : {}),
      },
      201,
    )
  })
}
