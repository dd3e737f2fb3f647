import { createRoute, z } from '@hono/zod-openapi'
import type { RouteModule } from '../context.ts'
import { openProject } from '../domain/projects.ts'
import { checkBranchName, checkRef } from '../domain/ref-names.ts'
import { deleteRefRoute, projectParams as params } from './ref-routes.ts'
import { errors, json } from './schemas.ts'

const Branch = z
  .object({ name: z.string(), oid: z.string(), default: z.boolean() })
  .openapi('Branch')

const list = createRoute({
  method: 'get',
  path: '/projects/{projectId}/branches',
  summary: 'List branches',
  request: { params },
  responses: {
    200: json(z.object({ branches: z.array(Branch) }), 'branches'),
    ...errors(400, 404),
  },
})

const create = createRoute({
  method: 'post',
  path: '/projects/{projectId}/branches',
  summary: 'Create a branch at a ref (default: the default branch)',
  request: {
    params,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ name: z.string().min(1), from: z.string().min(1).optional() }),
        },
      },
    },
  },
  responses: { 201: json(Branch, 'created'), ...errors(400, 404, 409) },
})

export const branchesRoutes: RouteModule = (app, { store, cache }) => {
  const open = (projectId: string) => openProject({ store, cache, projectId })

  app.openapi(list, async (c) => {
    const repo = await open(c.req.valid('param').projectId)
    const branches = await repo.listBranches()
    return c.json(
      { branches: branches.map((b) => ({ ...b, default: b.name === repo.defaultBranch })) },
      200,
    )
  })

  app.openapi(create, async (c) => {
    const { name, from } = c.req.valid('json')
    const repo = await open(c.req.valid('param').projectId)
    const branch = await repo.createBranch({
      name: checkBranchName(name),
      from: from === undefined ? undefined : checkRef(from),
    })
    return c.json({ ...branch, default: false }, 201)
  })

  deleteRefRoute(
    app,
    'branches',
    'Delete a branch (not the default branch)',
    async (projectId, name) => (await open(projectId)).deleteBranch(checkBranchName(name)),
  )
}
