import { createRoute, z } from '@hono/zod-openapi'
import { writeBundle } from '@gitpg/git-pg-fs'
import type { RouteModule } from '../context.ts'
import { openProject } from '../domain/projects.ts'
import { streamBody } from '../git-http/streams.ts'
import { ProjectId } from './schemas.ts'

const exportBundle = createRoute({
  method: 'get',
  path: '/projects/{projectId}/export.bundle',
  summary: 'The project as a git bundle (v2) of all its refs; `git clone x.bundle` takes it',
  request: { params: z.object({ projectId: ProjectId }) },
  responses: {
    200: {
      description: 'a git bundle, streamed',
      content: { 'application/x-git-bundle': { schema: z.string().openapi({ format: 'binary' }) } },
    },
  },
})

export const exportRoutes: RouteModule = (app, { store, cache }) => {
  app.openapi(exportBundle, async (c) => {
    const { projectId } = c.req.valid('param')
    const repo = await openProject({ store, cache, projectId })
    const chunks = writeBundle({ store, repoId: repo.repoId })
    // the header comes first: errors such as an empty project surface before any byte is sent
    const first = await chunks.next()
    async function* all() {
      if (!first.done) yield first.value
      yield* chunks
    }
    return new Response(streamBody(all()), {
      headers: {
        'Content-Type': 'application/x-git-bundle',
        'Content-Disposition': `attachment; filename="${projectId}.bundle"`,
      },
    })
  })
}
