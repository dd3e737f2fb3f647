import { createRoute, z } from '@hono/zod-openapi'
import type { RouteModule } from '../context.ts'
import { ApiError } from '../errors.ts'
import { json } from './schemas.ts'

const health = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Whether the server and its database are up (no API key needed)',
  responses: {
    200: json(z.object({ status: z.literal('ok'), database: z.literal('up') }), 'up'),
    503: json(
      z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
      'database down',
    ),
  },
})

export const healthRoutes: RouteModule = (app, { database }) => {
  app.openapi(health, async (c) => {
    try {
      await database.ping()
    } catch {
      throw new ApiError('DATABASE_UNAVAILABLE', 'the database is not reachable')
    }
    return c.json({ status: 'ok' as const, database: 'up' as const }, 200)
  })
}
