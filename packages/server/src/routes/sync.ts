import { createRoute, z } from '@hono/zod-openapi'
import { gitHubHost, importProject, pullProject, pushProject } from '@gitpg/sync'
import type { RouteModule } from '../context.ts'
import { PathBytes, pathJson, pathListJson } from './path-json.ts'
import { AuthorInput, errors, json, ProjectId } from './schemas.ts'

const params = z.object({ projectId: ProjectId })
const Token = z
  .string()
  .min(1)
  .max(1000)
  .openapi({
    description:
      "token for the remote, sent to the remote's own host only; without it, the server's " +
      'GITHUB_TOKEN, which is sent only to the configured GitHub (GITHUB_URL)',
  })
const BranchName = z.string().min(1).max(255)
const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  required,
  content: { 'application/json': { schema } },
})

const syncErrors = errors(400, 403, 404, 409, 422, 429, 502)

const importRoute = createRoute({
  method: 'post',
  path: '/projects/{projectId}/import',
  summary:
    'Create the project (if new) and import it from a git remote (GitHub or any smart-HTTP host)',
  request: {
    params,
    body: jsonBody(
      z.object({
        url: z.string().min(1).openapi({ example: 'https://github.com/octo/hello.git' }),
        branch: BranchName.optional().openapi({
          description: "the remote's default branch by default",
        }),
        allBranches: z.boolean().optional(),
        depth: z.number().int().min(1).max(1_000_000).optional(),
        token: Token.optional(),
        githubApiUrl: z
          .string()
          .url()
          .optional()
          .openapi({
            description:
              'GitHub Enterprise API, e.g. https://ghe.example.com/api/v3, for pull requests; ' +
              "the server's GITHUB_TOKEN is never sent to it unless it is the configured GitHub's",
          }),
      }),
    ),
  },
  responses: {
    201: json(z.object({}).passthrough().openapi('ImportResult'), 'project created and imported'),
    200: json(z.object({}).passthrough(), 'existing project updated from the remote'),
    ...syncErrors,
  },
})

const pullRoute = createRoute({
  method: 'post',
  path: '/projects/{projectId}/pull',
  summary:
    "Fetch the project's remote and fast-forward; report changed paths and pending conflicts",
  request: {
    params,
    body: jsonBody(
      z.object({
        branch: BranchName.optional(),
        token: Token.optional(),
        merge: z
          .boolean()
          .optional()
          .openapi({ description: 'merge diverged branches instead of answering 409 DIVERGED' }),
        author: AuthorInput.optional().openapi({ description: 'author of a merge commit' }),
      }),
      false,
    ),
  },
  responses: {
    200: json(
      z
        .object({
          branch: z.string(),
          from: z.string().nullable(),
          to: z.string().nullable(),
          upToDate: z.boolean(),
          merged: z.boolean(),
          changedPaths: z.array(z.string()),
          changedPathBytes: z
            .array(PathBytes.nullable())
            .optional()
            .openapi({ description: 'when a changed path is not UTF-8: its bytes, by index' }),
          conflicts: z.array(
            z.object({
              path: z.string(),
              pathBytes: PathBytes.optional(),
              users: z.array(z.string()),
            }),
          ),
          objects: z.number(),
        })
        .openapi('PullResult'),
      'pulled',
    ),
    ...syncErrors,
  },
})

const pushRoute = createRoute({
  method: 'post',
  path: '/projects/{projectId}/push',
  summary: "Push a branch to the project's remote; optionally open a pull request",
  request: {
    params,
    body: jsonBody(
      z.object({
        branch: BranchName.optional(),
        remoteBranch: BranchName.optional(),
        token: Token.optional(),
        force: z.boolean().optional(),
        pullRequest: z
          .object({
            title: z.string().min(1).max(256),
            body: z.string().max(65536).optional(),
            base: BranchName.optional(),
          })
          .optional(),
      }),
      false,
    ),
  },
  responses: {
    200: json(
      z
        .object({
          branch: z.string(),
          remoteBranch: z.string(),
          from: z.string().nullable(),
          to: z.string(),
          pushed: z.boolean(),
          objects: z.number(),
          pullRequest: z.object({ url: z.string(), number: z.number() }).optional(),
        })
        .openapi('PushResult'),
      'pushed (or already there)',
    ),
    ...syncErrors,
  },
})

/** Import, pull and push against git remotes (packages/sync). */
export const syncRoutes: RouteModule = (app, { store, cache, pending, config }) => {
  // The caller's token goes to the remote's origin; the server's only to its own GitHub.
  const credentials = (token?: string) => ({
    token: token ?? null,
    defaultToken: config.githubToken ?? null,
    githubHost: gitHubHost(config.githubUrl),
  })

  app.openapi(importRoute, async (c) => {
    const { projectId } = c.req.valid('param')
    const body = c.req.valid('json')
    const result = await importProject({
      store,
      cache,
      name: projectId,
      url: body.url,
      branch: body.branch,
      allBranches: body.allBranches,
      depth: body.depth,
      githubApiUrl: body.githubApiUrl,
      ...credentials(body.token),
      maxObjectSize: config.maxObjectSize,
    })
    return c.json(result, result.created ? 201 : 200)
  })

  app.openapi(pullRoute, async (c) => {
    const { projectId } = c.req.valid('param')
    const body = c.req.valid('json') ?? {}
    const result = await pullProject({
      store,
      cache,
      name: projectId,
      branch: body.branch,
      merge: body.merge,
      author: body.author,
      ...credentials(body.token),
      maxObjectSize: config.maxObjectSize,
      findPending: (input) => pending.onPaths(input),
    })
    const changed = pathListJson(result.changedPaths)
    return c.json(
      {
        ...result,
        changedPaths: changed.paths,
        ...(changed.bytes ? { changedPathBytes: changed.bytes } : {}),
        conflicts: result.conflicts.map((x) => ({ ...x, ...pathJson(x.path) })),
      },
      200,
    )
  })

  app.openapi(pushRoute, async (c) => {
    const { projectId } = c.req.valid('param')
    const body = c.req.valid('json') ?? {}
    const result = await pushProject({
      store,
      cache,
      name: projectId,
      branch: body.branch,
      remoteBranch: body.remoteBranch,
      force: body.force,
      pullRequest: body.pullRequest,
      ...credentials(body.token),
    })
    return c.json(result, 200)
  })
}
