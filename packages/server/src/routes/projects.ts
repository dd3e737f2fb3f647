import { createRoute, z } from '@hono/zod-openapi'
import type { RouteModule } from '../context.ts'
import {
  createProject,
  deleteProject,
  describeProject,
  setDefaultBranch,
} from '../domain/projects.ts'
import { errors, json, ProjectId } from './schemas.ts'

const Project = z
  .object({
    id: z.string(),
    defaultBranch: z.string(),
    head: z.string().nullable().openapi({ description: 'default branch commit; null when empty' }),
    remote: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('Project')

const params = z.object({ projectId: ProjectId })

const create = createRoute({
  method: 'put',
  path: '/projects/{projectId}',
  summary: 'Create an empty project (200 if it exists already)',
  request: {
    params,
    body: {
      required: false,
      content: {
        'application/json': { schema: z.object({ defaultBranch: z.string().min(1).optional() }) },
      },
    },
  },
  responses: {
    201: json(Project, 'created'),
    200: json(Project, 'exists already'),
    ...errors(400),
  },
})

const get = createRoute({
  method: 'get',
  path: '/projects/{projectId}',
  summary: 'Describe a project',
  request: { params },
  responses: { 200: json(Project, 'the project'), ...errors(400, 404) },
})

const update = createRoute({
  method: 'patch',
  path: '/projects/{projectId}',
  summary:
    'Change the default branch (it must exist: 404 BRANCH_NOT_FOUND); HEAD follows, so a clone ' +
    'checks it out',
  request: {
    params,
    body: {
      required: true,
      content: {
        'application/json': { schema: z.object({ defaultBranch: z.string().min(1) }) },
      },
    },
  },
  responses: { 200: json(Project, 'the project as it is now'), ...errors(400, 404) },
})

const remove = createRoute({
  method: 'delete',
  path: '/projects/{projectId}',
  summary: 'Delete a project and all its data (objects, refs, pending changes)',
  request: { params },
  responses: { 204: { description: 'deleted' }, ...errors(400, 404) },
})

export const projectsRoutes: RouteModule = (app, { store, cache, config }) => {
  app.openapi(create, async (c) => {
    const { projectId } = c.req.valid('param')
    const { defaultBranch } = c.req.valid('json')
    const { created, project } = await createProject({ store, cache, projectId, defaultBranch })
    return created ? c.json(project, 201) : c.json(project, 200)
  })

  app.openapi(get, async (c) => {
    const { projectId } = c.req.valid('param')
    return c.json(await describeProject({ store, cache, projectId }), 200)
  })

  app.openapi(update, async (c) => {
    const { projectId } = c.req.valid('param')
    const { defaultBranch } = c.req.valid('json')
    return c.json(await setDefaultBranch({ store, cache, projectId, branch: defaultBranch }), 200)
  })

  app.openapi(remove, async (c) => {
    const { projectId } = c.req.valid('param')
    await deleteProject({ store, cache, projectId, batchSize: config.maintenance?.batchSize })
    return c.body(null, 204)
  })
}
