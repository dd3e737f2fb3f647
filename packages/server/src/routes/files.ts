import { createRoute, z } from '@hono/zod-openapi'
import type { RouteModule } from '../context.ts'
import { ApiError } from '../errors.ts'
import { contentTypeOf, encodeContent } from '../domain/content.ts'
import { readFile, readFiles, readPoint } from '../domain/file-reads.ts'
import { normalizePath } from '../domain/paths.ts'
import { openProject } from '../domain/projects.ts'
import { checkRef } from '../domain/ref-names.ts'
import { commitFile } from '../domain/write-file.ts'
import { authorFromHeaders, etag, notModified } from './http.ts'
import { openapiWithPath } from './openapi.ts'
import { pathFromBytes, pathFromText, PathBytes, pathJson, pathListJson } from './path-json.ts'
import { pathFromQuery } from './url-path.ts'
import { binary, errors, FilePath, json, Oid, ProjectId, SignatureText, UserId } from './schemas.ts'

export const MAX_BATCH_PATHS = 10_000

const FileEntry = z
  .object({
    path: z.string(),
    pathBytes: PathBytes.optional(),
    oid: z.string(),
    size: z.number().int(),
    mode: z.string(),
  })
  .openapi('FileEntry')

const Ref = z.string().min(1).optional().openapi({ description: 'branch, tag or commit id' })

const CommitCreated = z
  .object({
    commit: z.string(),
    branch: z.string(),
    parent: z.string().nullable(),
    path: z.string(),
    pathBytes: PathBytes.optional(),
  })
  .openapi('FileCommit')

const list = createRoute({
  method: 'get',
  path: '/files/{projectId}',
  summary: 'List files at a ref, optionally under a prefix',
  request: {
    params: z.object({ projectId: ProjectId }),
    query: z.object({ ref: Ref, prefix: z.string().optional() }),
  },
  responses: { 200: json(z.object({ files: z.array(FileEntry) }), 'files'), ...errors(400, 404) },
})

const read = createRoute({
  method: 'get',
  path: '/files/{projectId}/{path}',
  summary: "A file's bytes; ETag is the blob id; with userId, that user's pending version wins",
  request: {
    params: z.object({ projectId: ProjectId, path: FilePath }),
    query: z.object({ ref: Ref, userId: UserId.optional() }),
    headers: z.object({ 'if-none-match': z.string().optional() }),
  },
  responses: {
    200: binary('the file content'),
    304: { description: 'not modified (If-None-Match matched the blob id)' },
    ...errors(400, 404),
  },
})

const batch = createRoute({
  method: 'post',
  path: '/files/{projectId}/batch',
  summary: `Read up to ${MAX_BATCH_PATHS} files in one call`,
  request: {
    params: z.object({ projectId: ProjectId }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            paths: z.array(z.string()).max(MAX_BATCH_PATHS).optional(),
            pathBytes: z
              .array(PathBytes)
              .max(MAX_BATCH_PATHS)
              .optional()
              .openapi({ description: 'more paths, as base64 of their bytes' }),
            ref: Ref,
            userId: UserId.optional(),
          }),
        },
      },
    },
  },
  responses: {
    200: json(
      z.object({
        files: z.array(
          z.object({
            path: z.string(),
            pathBytes: PathBytes.optional(),
            oid: z.string(),
            mode: z.string(),
            size: z.number().int(),
            encoding: z.enum(['utf8', 'base64']),
            content: z.string(),
            pending: z.boolean(),
          }),
        ),
        missing: z.array(z.string()),
        missingPathBytes: z
          .array(PathBytes.nullable())
          .optional()
          .openapi({ description: 'when a missing path is not UTF-8: its bytes, by index' }),
      }),
      'the files found and the paths missing',
    ),
    ...errors(400, 404, 413),
  },
})

const writeQuery = z.object({
  branch: z.string().min(1).optional(),
  message: z.string().min(1).max(65536).optional(),
  expectedHead: Oid.optional(),
})

const authorHeaders = z.object({
  'x-author-name': SignatureText.optional().openapi({ description: 'default: gitpg' }),
  'x-author-email': SignatureText.optional().openapi({ description: 'default: gitpg@localhost' }),
})

const write = createRoute({
  method: 'put',
  path: '/files/{projectId}/{path}',
  summary: "Commit this file's new content (the request body) to a branch",
  request: {
    params: z.object({ projectId: ProjectId, path: FilePath }),
    query: writeQuery,
    headers: authorHeaders,
    body: binary('the new content'),
  },
  responses: { 201: json(CommitCreated, 'committed'), ...errors(400, 404, 409, 413) },
})

const remove = createRoute({
  method: 'delete',
  path: '/files/{projectId}/{path}',
  summary: 'Commit the deletion of this file',
  request: {
    params: z.object({ projectId: ProjectId, path: FilePath }),
    query: writeQuery,
    headers: authorHeaders,
  },
  responses: { 201: json(CommitCreated, 'committed'), ...errors(400, 404, 409) },
})

export const filesRoutes: RouteModule = (app, { store, cache, pending }) => {
  const open = (projectId: string) => openProject({ store, cache, projectId })

  app.openapi(list, async (c) => {
    const { projectId } = c.req.valid('param')
    const { ref } = c.req.valid('query')
    const prefix = pathFromQuery(c.req.url, 'prefix')
    const repo = await open(projectId)
    const at = await readPoint(repo, ref === undefined ? undefined : checkRef(ref))
    const files = at
      ? await repo.listFiles({ ref: at, prefix: normalizePath(prefix ?? '', { allowEmpty: true }) })
      : []
    return c.json(
      { files: files.map(({ path, oid, size, mode }) => ({ ...pathJson(path), oid, size, mode })) },
      200,
    )
  })

  app.openapi(batch, async (c) => {
    const { projectId } = c.req.valid('param')
    const body = c.req.valid('json')
    const paths = batchPaths(body)
    const repo = await open(projectId)
    const { files, missing } = await readFiles({
      repo,
      pending,
      paths,
      ref: body.ref === undefined ? undefined : checkRef(body.ref),
      userId: body.userId,
    })
    return c.json(
      {
        files: files.map((f) => ({
          ...pathJson(f.path),
          oid: f.oid,
          mode: f.mode,
          size: f.size,
          ...encodeContent(f.content),
          pending: f.pending,
        })),
        ...missingJson(missing),
      },
      200,
    )
  })

  openapiWithPath(app, read, async (c) => {
    const { projectId, path } = c.req.valid('param')
    const { ref, userId } = c.req.valid('query')
    const repo = await open(projectId)
    const file = await readFile({
      repo,
      pending,
      path: normalizePath(path),
      ref: ref === undefined ? undefined : checkRef(ref),
      userId,
    })
    const headers = {
      ETag: etag(file.oid),
      'X-Gitpg-Mode': file.mode,
      'X-Gitpg-Pending': String(file.pending),
    }
    if (notModified(c.req.valid('header')['if-none-match'], file.oid))
      return c.body(null, 304, headers)
    return c.body(new Uint8Array(file.content), 200, {
      ...headers,
      'Content-Type': contentTypeOf(file.content),
      'X-Content-Type-Options': 'nosniff',
    })
  })

  async function commit({
    projectId,
    path,
    query,
    headers,
    content,
  }: {
    projectId: string
    path: string
    query: z.infer<typeof writeQuery>
    headers: z.infer<typeof authorHeaders>
    content: Buffer | null
  }) {
    const repo = await open(projectId)
    const result = await commitFile({
      repo,
      path,
      content,
      ...query,
      author: authorFromHeaders(headers),
    })
    return { commit: result.oid, branch: result.branch, parent: result.parent, ...pathJson(path) }
  }

  openapiWithPath(app, write, async (c) => {
    const { projectId, path } = c.req.valid('param')
    const body = await commit({
      projectId,
      path: normalizePath(path),
      query: c.req.valid('query'),
      headers: c.req.valid('header'),
      content: Buffer.from(await c.req.arrayBuffer()),
    })
    return c.json(body, 201)
  })

  openapiWithPath(app, remove, async (c) => {
    const { projectId, path } = c.req.valid('param')
    const body = await commit({
      projectId,
      path: normalizePath(path),
      query: c.req.valid('query'),
      headers: c.req.valid('header'),
      content: null,
    })
    return c.json(body, 201)
  })
}

/** A batch's paths, given as text (`paths`) or as base64 bytes (`pathBytes`), normalised once. */
function batchPaths(body: { paths?: string[]; pathBytes?: string[] }): string[] {
  const given = [
    ...(body.paths ?? []).map(pathFromText),
    ...(body.pathBytes ?? []).map(pathFromBytes),
  ]
  if (given.length === 0) throw new ApiError('VALIDATION_FAILED', 'give paths or pathBytes')
  if (given.length > MAX_BATCH_PATHS)
    throw new ApiError('VALIDATION_FAILED', `at most ${MAX_BATCH_PATHS} paths in one call`)
  return [...new Set(given.map((p) => normalizePath(p)))]
}

function missingJson(missing: readonly string[]) {
  const { paths, bytes } = pathListJson(missing)
  return bytes ? { missing: paths, missingPathBytes: bytes } : { missing: paths }
}
