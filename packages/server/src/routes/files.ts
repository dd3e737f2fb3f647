import { createRoute, z } from '@hono/zod-openapi'
import type { RouteModule } from '../context.ts'
import { planBatch } from '../domain/batch-plan.ts'
import { readPlanned } from '../domain/batch-read.ts'
import { contentTypeOf } from '../domain/content.ts'
import { readFile, readPoint } from '../domain/file-reads.ts'
import { listFiles } from '../domain/list-files.ts'
import { listUserFiles } from '../domain/user-files.ts'
import { normalizePath } from '../domain/paths.ts'
import { openProject } from '../domain/projects.ts'
import { checkRef } from '../domain/ref-names.ts'
import { commitFile } from '../domain/write-file.ts'
import { ApiError } from '../errors.ts'
import { streamBody } from '../git-http/streams.ts'
import { DEFAULT_READ_LIMITS } from '../domain/read-limits.ts'
import { batchResponse } from './batch-response.ts'
import { authorFromHeaders, etag, notModified } from './http.ts'
import { openapiWithPath } from './openapi.ts'
import { pathFromBytes, pathFromText, PathBytes, pathJson } from './path-json.ts'
import { readBody } from './read-body.ts'
import { pathFromQuery } from './url-path.ts'
import { binary, errors, FilePath, json, Oid, ProjectId, SignatureText, UserId } from './schemas.ts'

const FileEntry = z
  .object({
    path: z.string(),
    pathBytes: PathBytes.optional(),
    oid: z.string(),
    size: z.number().int(),
    mode: z.string(),
    pending: z
      .boolean()
      .optional()
      .openapi({ description: "with userId: true for the user's pending version" }),
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
  summary:
    "List files at a ref, optionally under a prefix; with userId, with that user's pending " +
    'changes laid over (pending files marked `pending: true`, pending deletions left out)',
  request: {
    params: z.object({ projectId: ProjectId }),
    query: z.object({ ref: Ref, prefix: z.string().optional(), userId: UserId.optional() }),
  },
  responses: {
    200: json(z.object({ files: z.array(FileEntry) }), 'files'),
    ...errors(400, 404, 422),
  },
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
  summary:
    'Read many files in one call (up to GITPG_BATCH_MAX_PATHS paths); the answer stops at ' +
    'GITPG_BATCH_MAX_BYTES of content and lists the paths it left out in `skipped`',
  request: {
    params: z.object({ projectId: ProjectId }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            paths: z.array(z.string()).optional(),
            pathBytes: z
              .array(PathBytes)
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
        skipped: z.array(
          z.object({
            path: z.string(),
            pathBytes: PathBytes.optional(),
            size: z.number().int(),
            code: z.enum(['BATCH_TOO_LARGE', 'FILE_TOO_LARGE', 'CHANGED']).openapi({
              description:
                'BATCH_TOO_LARGE: the answer reached its byte budget, ask again for these paths; ' +
                'FILE_TOO_LARGE: the file alone is over the budget, read it with ' +
                'GET /files/{projectId}/{path}; CHANGED: the pending version changed, ask again',
            }),
          }),
        ),
        truncated: z.boolean().openapi({ description: 'true when `skipped` is not empty' }),
      }),
      'the files found (in the order asked), the paths missing, and those left out',
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

export const filesRoutes: RouteModule = (app, { store, cache, pending, config }) => {
  const open = (projectId: string) => openProject({ store, cache, projectId })
  const limits = { ...DEFAULT_READ_LIMITS, ...config.readLimits }

  app.openapi(list, async (c) => {
    const { projectId } = c.req.valid('param')
    const { ref, userId } = c.req.valid('query')
    const prefix = normalizePath(pathFromQuery(c.req.url, 'prefix') ?? '', { allowEmpty: true })
    const repo = await open(projectId)
    const at = await readPoint(repo, ref === undefined ? undefined : checkRef(ref))
    const limit = limits.listMaxFiles
    if (userId !== undefined) {
      const files = await listUserFiles({ repo, pending, userId, commit: at, prefix, limit })
      return c.json(
        {
          files: files.map(({ path, oid, size, mode, pending }) => ({
            ...pathJson(path),
            oid,
            size,
            mode,
            pending,
          })),
        },
        200,
      )
    }
    const files = at ? await listFiles({ repo, commit: at, prefix, limit }) : []
    return c.json(
      { files: files.map(({ path, oid, size, mode }) => ({ ...pathJson(path), oid, size, mode })) },
      200,
    )
  })

  app.openapi(batch, async (c) => {
    const { projectId } = c.req.valid('param')
    const body = c.req.valid('json')
    const paths = batchPaths(body, limits.batchMaxPaths)
    const repo = await open(projectId)
    const ref = body.ref === undefined ? undefined : checkRef(body.ref)
    const { userId } = body
    // everything that can fail with a status is decided here, before the first byte is sent
    const plan = await planBatch({
      repo,
      pending,
      paths,
      ref,
      userId,
      maxBytes: limits.batchMaxBytes,
    })
    const chunks = readPlanned({ repo, pending, userId, files: plan.files })
    // streamed: the typed `c.json` would hold the whole answer as one string
    return new Response(streamBody(batchResponse({ plan, chunks })), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    }) as never
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
    // a view of the blob's bytes: `new Uint8Array(buffer)` would copy them
    const bytes = new Uint8Array(
      file.content.buffer as ArrayBuffer,
      file.content.byteOffset,
      file.content.length,
    )
    return c.body(bytes, 200, {
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
      content: await readBody(c),
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
function batchPaths(body: { paths?: string[]; pathBytes?: string[] }, limit: number): string[] {
  const count = (body.paths?.length ?? 0) + (body.pathBytes?.length ?? 0)
  if (count === 0) throw new ApiError('VALIDATION_FAILED', 'give paths or pathBytes')
  if (count > limit)
    throw new ApiError(
      'TOO_MANY_PATHS',
      `a batch read takes at most ${limit} paths, not ${count}`,
      {
        limit,
      },
    )
  const given = [
    ...(body.paths ?? []).map(pathFromText),
    ...(body.pathBytes ?? []).map(pathFromBytes),
  ]
  return [...new Set(given.map((p) => normalizePath(p)))]
}
