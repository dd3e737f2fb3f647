import { createRoute, z } from '@hono/zod-openapi'
import type { RouteModule } from '../context.ts'
import { ApiError } from '../errors.ts'
import { contentTypeOf } from '../domain/content.ts'
import { normalizePath } from '../domain/paths.ts'
import { recordPendingDeletion, savePending } from '../domain/pending-changes.ts'
import { openProject } from '../domain/projects.ts'
import type { PendingChange as Change } from '../store/pending-store.ts'
import { etag, pendingPrecondition } from './http.ts'
import { openapiWithPath } from './openapi.ts'
import { PathBytes, pathJson } from './path-json.ts'
import { readBody } from './read-body.ts'
import { pathFromUrl } from './url-path.ts'
import { binary, errors, FilePath, json, ProjectId, UserId } from './schemas.ts'

const PendingChange = z
  .object({
    path: z.string(),
    pathBytes: PathBytes.optional(),
    action: z.enum(['created', 'modified', 'deleted']),
    oid: z.string().nullable().openapi({ description: 'blob id of the content; null if deleted' }),
    size: z.number().int(),
    version: z.string().openapi({ description: 'the ETag to send back in If-Match' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('PendingChange')

const userParams = z.object({ projectId: ProjectId, userId: UserId })
const pathParams = z.object({ projectId: ProjectId, userId: UserId, path: FilePath })
const preconditionHeaders = z.object({
  'if-match': z.string().optional().openapi({ description: 'the pending version last seen' }),
  'if-none-match': z.string().optional().openapi({ description: '* to create only' }),
})

const toJson = (c: Change) => ({
  ...pathJson(c.path),
  action: c.action,
  oid: c.oid,
  size: c.size,
  version: c.version,
  updatedAt: c.updatedAt.toISOString(),
})

const save = createRoute({
  method: 'put',
  path: '/pending/{projectId}/{userId}/{path}',
  summary: "Autosave the user's uncommitted content (durable when answered); ETag is the version",
  request: { params: pathParams, headers: preconditionHeaders, body: binary('the content') },
  responses: { 200: json(PendingChange, 'saved'), ...errors(400, 404, 409, 412, 413) },
})

/**
 * The autosave route as routed: `{path}` matches "/" (as `openapiWithPath` routes it), and the
 * precondition headers are read with `c.req.header()` and checked by `pendingPrecondition`
 * rather than validated as a header object, which would copy every request header on the
 * busiest route.
 */
const saveRouted = createRoute({
  ...save,
  path: save.path.replace('{path}', '{path{[\\s\\S]+}}'),
  request: { params: pathParams, body: save.request.body },
  hide: true,
})

const list = createRoute({
  method: 'get',
  path: '/pending/{projectId}/{userId}',
  summary: "The user's pending changes",
  request: { params: userParams },
  responses: {
    200: json(z.object({ changes: z.array(PendingChange) }), 'pending changes'),
    ...errors(400, 404),
  },
})

const read = createRoute({
  method: 'get',
  path: '/pending/{projectId}/{userId}/{path}',
  summary: 'The pending content of one path; ETag is the version',
  request: { params: pathParams },
  responses: { 200: binary('the pending content'), ...errors(400, 404) },
})

const discard = createRoute({
  method: 'delete',
  path: '/pending/{projectId}/{userId}/{path}',
  summary: 'Discard one pending change',
  request: { params: pathParams },
  responses: { 204: { description: 'discarded' }, ...errors(400, 404) },
})

const discardAll = createRoute({
  method: 'delete',
  path: '/pending/{projectId}/{userId}',
  summary: "Discard all of the user's pending changes",
  request: { params: userParams },
  responses: {
    200: json(z.object({ discarded: z.number().int() }), 'how many were discarded'),
    ...errors(400, 404),
  },
})

const recordDelete = createRoute({
  method: 'post',
  path: '/pending/{projectId}/{userId}/delete/{path}',
  summary: 'Record a pending deletion (a path that is only a pending creation is just discarded)',
  request: { params: pathParams, headers: preconditionHeaders },
  responses: {
    200: json(
      z.union([PendingChange, z.object({ path: z.string(), action: z.null() })]),
      'the pending deletion, or action null when nothing remains pending',
    ),
    ...errors(400, 404, 412),
  },
})

export const pendingRoutes: RouteModule = (app, { store, cache, pending }) => {
  const open = (projectId: string) => openProject({ store, cache, projectId })

  app.openapi(list, async (c) => {
    const { projectId, userId } = c.req.valid('param')
    const repo = await open(projectId)
    const changes = await pending.list(repo.repoId, userId)
    return c.json({ changes: changes.map(toJson) }, 200)
  })

  app.openapi(discardAll, async (c) => {
    const { projectId, userId } = c.req.valid('param')
    const repo = await open(projectId)
    return c.json({ discarded: await pending.removeAll(repo.repoId, userId) }, 200)
  })

  openapiWithPath(app, recordDelete, async (c) => {
    const { projectId, userId, path } = c.req.valid('param')
    const headers = c.req.valid('header')
    const repo = await open(projectId)
    const change = await recordPendingDeletion({
      repo,
      pending,
      userId,
      path: normalizePath(path),
      ...pendingPrecondition({
        ifMatch: headers['if-match'],
        ifNoneMatch: headers['if-none-match'],
      }),
    })
    if (!change) return c.json({ ...pathJson(normalizePath(path)), action: null }, 200)
    return c.json(toJson(change), 200, { ETag: etag(change.version) })
  })

  // documented with its precondition headers, routed as `saveRouted`
  app.openAPIRegistry.registerPath(save)
  app.openapi(saveRouted, async (c) => {
    const { projectId, userId } = c.req.valid('param')
    const path = pathFromUrl(c.req.url, 3)
    const precondition = pendingPrecondition({
      ifMatch: c.req.header('if-match'),
      ifNoneMatch: c.req.header('if-none-match'),
    })
    const normalized = normalizePath(path)
    // the body may still be arriving: read it while the project is looked up
    const [repo, content] = await Promise.all([open(projectId), readBody(c)])
    const change = await savePending({
      repo,
      pending,
      userId,
      path: normalized,
      content,
      ...precondition,
    })
    return c.json(toJson(change), 200, { ETag: etag(change.version) })
  })

  openapiWithPath(app, read, async (c) => {
    const { projectId, userId, path: raw } = c.req.valid('param')
    const path = normalizePath(raw)
    const repo = await open(projectId)
    const [change] = await pending.read(repo.repoId, userId, [path])
    if (!change) throw new ApiError('PENDING_NOT_FOUND', `no pending change at ${path}`, { path })
    if (change.content === null)
      throw new ApiError('PATH_NOT_FOUND', `${path} is deleted in the pending changes`, {
        path,
        action: 'deleted',
        version: change.version,
      })
    const content = change.content
    // a view of the bytes: `new Uint8Array(buffer)` would copy them
    return c.body(
      new Uint8Array(content.buffer as ArrayBuffer, content.byteOffset, content.length),
      200,
      {
        ETag: etag(change.version),
        'Content-Type': contentTypeOf(change.content),
        'X-Content-Type-Options': 'nosniff',
        'X-Gitpg-Action': change.action,
      },
    )
  })

  openapiWithPath(app, discard, async (c) => {
    const { projectId, userId, path: raw } = c.req.valid('param')
    const path = normalizePath(raw)
    const repo = await open(projectId)
    if (!(await pending.remove(repo.repoId, userId, path)))
      throw new ApiError('PENDING_NOT_FOUND', `no pending change at ${path}`, { path })
    return c.body(null, 204)
  })
}
