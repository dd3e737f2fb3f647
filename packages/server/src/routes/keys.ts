import { createRoute, z } from '@hono/zod-openapi'
import type { RouteModule } from '../context.ts'
import { createKey, hashKey, keyInfo, revokeKey } from '../domain/api-keys.ts'
import { errors, json, ProjectId } from './schemas.ts'

const Scope = z.enum(['read', 'write', 'admin']).openapi({
  description:
    'read: reads, history, grep, blame, clone and fetch, the change feed; write: also pending ' +
    'changes, commits, branches, push and pull; admin: everything on the projects',
})

const Key = z
  .object({
    id: z.string().openapi({ example: 'key_3f2a9c0d1e4b5a6c' }),
    projects: z.array(z.string()),
    scope: Scope,
    expiresAt: z.string().nullable(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('Key')

const create = createRoute({
  method: 'post',
  path: '/keys',
  summary: 'Create a key limited to projects and a scope (the configured key only)',
  description: 'The answer holds the key itself, shown this once: only its hash is stored.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            projects: z.array(ProjectId).min(1).max(1000),
            scope: Scope,
            expiresAt: z.iso.datetime({ offset: true }).optional(),
          }),
        },
      },
    },
  },
  responses: {
    201: json(Key.extend({ key: z.string().openapi({ example: 'gitpg_…' }) }), 'the new key'),
    ...errors(400, 403),
  },
})

const list = createRoute({
  method: 'get',
  path: '/keys',
  summary: 'List the scoped keys (never the keys themselves)',
  responses: { 200: json(z.object({ keys: z.array(Key) }), 'the keys'), ...errors(403) },
})

const revoke = createRoute({
  method: 'delete',
  path: '/keys/{id}',
  summary: 'Revoke a key: refused everywhere within the key cache TTL (10 s by default)',
  request: { params: z.object({ id: z.string().min(1).max(100) }) },
  responses: { 200: json(Key, 'the revoked key'), ...errors(403, 404) },
})

/** `POST/GET/DELETE /keys`: scoped keys, managed with the configured key only. */
export const keysRoutes: RouteModule = (app, { keys, resolver }) => {
  app.openapi(create, async (c) => {
    const body = c.req.valid('json')
    const expiresAt = body.expiresAt === undefined ? null : new Date(body.expiresAt)
    const { key, info } = await createKey({ keys, ...body, expiresAt })
    resolver.keyCreated(hashKey(key))
    return c.json({ ...info, key }, 201)
  })

  app.openapi(list, async (c) => c.json({ keys: (await keys.list()).map(keyInfo) }, 200))

  app.openapi(revoke, async (c) => {
    const { id } = c.req.valid('param')
    const info = await revokeKey({ keys, id })
    resolver.forget(id)
    return c.json(info, 200)
  })
}
