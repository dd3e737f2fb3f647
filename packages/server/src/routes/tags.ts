import { createRoute, z } from '@hono/zod-openapi'
import type { RouteModule } from '../context.ts'
import { openProject } from '../domain/projects.ts'
import { checkRef } from '../domain/ref-names.ts'
import { createTag, deleteTag, listTags } from '../domain/tags.ts'
import { deleteRefRoute, projectParams as params } from './ref-routes.ts'
import { errors, json, Signature, SignatureText } from './schemas.ts'

const ObjectType = z.enum(['commit', 'tree', 'blob', 'tag'])

const Tag = z
  .object({
    name: z.string(),
    oid: z.string().openapi({ description: 'the tag object (annotated) or the tagged object' }),
    type: ObjectType.openapi({ description: "the type of `oid`: 'tag' when annotated" }),
    target: z.string().openapi({ description: 'the object finally tagged (peeled)' }),
    targetType: ObjectType,
    message: z.string().optional().openapi({ description: 'annotated tags only' }),
    tagger: Signature.optional(),
  })
  .openapi('Tag')

const list = createRoute({
  method: 'get',
  path: '/projects/{projectId}/tags',
  summary: 'List tags by name, annotated ones peeled',
  request: { params },
  responses: { 200: json(z.object({ tags: z.array(Tag) }), 'tags'), ...errors(400, 404) },
})

const create = createRoute({
  method: 'post',
  path: '/projects/{projectId}/tags',
  summary:
    'Create a tag: lightweight without `message`, annotated (as `git tag -a -m`) with one; ' +
    '409 TAG_EXISTS when it exists',
  request: {
    params,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            name: z.string().min(1),
            target: z
              .string()
              .min(1)
              .optional()
              .openapi({ description: 'branch, tag or commit id; default: the default branch' }),
            message: z
              .string()
              .max(1024 * 1024)
              .optional()
              .openapi({ description: 'cleaned up as git does (comment lines dropped)' }),
            tagger: z
              .object({
                name: SignatureText,
                email: SignatureText,
                timestamp: z.number().int().min(0).max(253402300799).optional(),
                timezoneOffset: z.number().int().min(-1439).max(1439).optional(),
              })
              .optional()
              .openapi({ description: 'default: gitpg <gitpg@localhost>, now, UTC' }),
          }),
        },
      },
    },
  },
  responses: { 201: json(Tag, 'created'), ...errors(400, 404, 409) },
})

export const tagsRoutes: RouteModule = (app, { store, cache }) => {
  const open = (projectId: string) => openProject({ store, cache, projectId })

  app.openapi(list, async (c) => {
    const repo = await open(c.req.valid('param').projectId)
    return c.json({ tags: await listTags(repo) }, 200)
  })

  app.openapi(create, async (c) => {
    const { name, target, message, tagger } = c.req.valid('json')
    const repo = await open(c.req.valid('param').projectId)
    const tag = await createTag({
      repo,
      name,
      target: target === undefined ? undefined : checkRef(target),
      message,
      tagger,
    })
    return c.json(tag, 201)
  })

  deleteRefRoute(app, 'tags', 'Delete a tag', async (projectId, name) =>
    deleteTag({ repo: await open(projectId), name }),
  )
}
