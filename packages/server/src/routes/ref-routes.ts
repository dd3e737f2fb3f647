import { createRoute, z } from '@hono/zod-openapi'
import type { ApiApp } from '../context.ts'
import { openapiWithPath } from './openapi.ts'
import { errors, ProjectId } from './schemas.ts'

/** The `{projectId}` parameter of the routes on a project's refs. */
export const projectParams = z.object({ projectId: ProjectId })

/**
 * `DELETE /projects/{projectId}/<kind>/{name}` answering 204, registered so that `name` may hold
 * "/" (as `feature/x` does); `remove` deletes the ref.
 *
 * @example
 * deleteRefRoute(app, 'tags', 'Delete a tag', (projectId, name) => dropTag(projectId, name))
 */
export function deleteRefRoute(
  app: ApiApp,
  kind: 'branches' | 'tags',
  summary: string,
  remove: (projectId: string, name: string) => Promise<void>,
): void {
  const route = createRoute({
    method: 'delete',
    path: `/projects/{projectId}/${kind}/{name}`,
    summary,
    request: { params: projectParams.extend({ name: z.string().min(1) }) },
    responses: { 204: { description: 'deleted' }, ...errors(400, 404, 409) },
  })
  openapiWithPath(
    app,
    route,
    async (c) => {
      const { projectId, name } = c.req.valid('param')
      await remove(projectId, name)
      return c.body(null, 204)
    },
    'name',
  )
}
