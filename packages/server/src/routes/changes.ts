import { Hono, type Context } from 'hono'
import { createRoute, z } from '@hono/zod-openapi'
import { errors, ProjectId } from './schemas.ts'
import { ApiError, ProjectNotFoundError } from '../errors.ts'
import { streamSSE } from 'hono/streaming'
import type { GitStore } from '@gitpg/git-pg-fs'
import type { FeedNotifier } from '../feed/feed-notifier.ts'
import { describeError } from '../middleware/error-handler.ts'
import type { ChangeFeed } from '../store/change-feed.ts'
import { CursorExpiredError, parseCursor, type FeedEvent } from '../store/postgres/feed-store.ts'
import { pathJson } from './path-json.ts'

export interface ChangesRouteDeps {
  feed: ChangeFeed
  store: GitStore
  notifier: FeedNotifier
  /** how often a live stream sends a heartbeat (and re-reads, in case a notification was lost) */
  heartbeatMs?: number
  /**
   * whether the request's key is still accepted, asked on every wake of a live stream: a stream
   * whose key was revoked or has expired ends with an `error` event (`UNAUTHORIZED`)
   */
  stillAuthorized?: (c: Context) => Promise<boolean>
}

const PAGE = 500

const eventJson = (e: FeedEvent) => (e.path === null ? e : { ...e, ...pathJson(e.path) })

const Event = z
  .object({
    cursor: z.string(),
    kind: z.enum(['pending.saved', 'pending.deleted', 'pending.discarded', 'ref.updated']),
    userId: z.string().nullable(),
    path: z.string().nullable(),
    pathBytes: z.string().optional().openapi({ description: 'base64 of a path that is not UTF-8' }),
    createdAt: z.string(),
  })
  .passthrough()
  .openapi('ChangeEvent')

/** The feed route's description in `/openapi.json` (its handler streams, so it is plain Hono). */
export const changesRoute = createRoute({
  method: 'get',
  path: '/projects/{projectId}/changes',
  summary: 'Change feed: events after a cursor; a live stream with Accept: text/event-stream',
  request: {
    params: z.object({ projectId: ProjectId }),
    query: z.object({
      since: z.string().optional().openapi({ description: 'cursor; default: the oldest kept' }),
      limit: z.string().optional().openapi({ description: '1 to 5000, default 500' }),
    }),
    headers: z.object({
      'last-event-id': z.string().optional().openapi({ description: 'resume a stream' }),
    }),
  },
  responses: {
    200: {
      description: 'a page of events, or a text/event-stream of them',
      content: {
        'application/json': {
          schema: z.object({ changes: z.array(Event), cursor: z.string() }),
        },
        'text/event-stream': { schema: z.string() },
      },
    },
    ...errors(400, 404, 410),
  },
})

/**
 * `GET /projects/:projectId/changes?since=&limit=`: the project's change feed after a cursor.
 * With `Accept: text/event-stream`, a live stream that resumes from `Last-Event-ID`.
 */
export function changesRoutes({
  feed,
  store,
  notifier,
  heartbeatMs = 15_000,
  stillAuthorized = async () => true,
}: ChangesRouteDeps) {
  const app = new Hono()
  app.get('/projects/:projectId/changes', async (c) => {
    const projectId = c.req.param('projectId')
    if (!ProjectId.safeParse(projectId).success)
      throw new ApiError('VALIDATION_FAILED', 'invalid param projectId', {
        issues: [{ in: 'param', field: 'projectId', message: 'invalid project id' }],
      })
    const repo = await store.getRepo(projectId)
    if (!repo) throw new ProjectNotFoundError(projectId)
    const limitText = c.req.query('limit')
    const limit = limitText ? Number(limitText) : PAGE
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000) {
      throw new ApiError('VALIDATION_FAILED', 'invalid query limit: an integer from 1 to 5000', {
        issues: [{ in: 'query', field: 'limit', message: 'an integer from 1 to 5000' }],
      })
    }
    const wantsStream = (c.req.header('accept') ?? '').includes('text/event-stream')
    const since = parseCursor(c.req.header('last-event-id') ?? c.req.query('since'))
    if (!wantsStream) {
      const { events, cursor } = await feed.read({ repoId: repo.repoId, since, limit })
      return c.json({ changes: events.map(eventJson), cursor })
    }
    // Fail before the stream opens when the cursor is already invalid.
    const first = await feed.read({ repoId: repo.repoId, since, limit: PAGE })
    return streamSSE(c, async (stream) => {
      let cursor = BigInt(first.cursor)
      let wake: (() => void) | null = null
      let dirty = true
      const unsubscribe = notifier.subscribe(repo.repoId, () => {
        dirty = true
        wake?.()
      })
      stream.onAbort(() => {
        unsubscribe()
        wake?.()
      })
      let batch = first.events
      try {
        while (!stream.aborted) {
          for (const event of batch) {
            await stream.writeSSE({
              id: event.cursor,
              event: event.kind,
              data: JSON.stringify(eventJson(event)),
            })
          }
          if (batch.length > 0) cursor = BigInt(batch[batch.length - 1].cursor)
          if (batch.length < PAGE && !dirty) {
            const timedOut = await new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => resolve(true), heartbeatMs)
              wake = () => {
                clearTimeout(timer)
                resolve(false)
              }
            })
            wake = null
            if (stream.aborted) break
            if (timedOut) await stream.write(': heartbeat\n\n')
          }
          dirty = false
          if (!(await stillAuthorized(c))) {
            const err = new ApiError('UNAUTHORIZED', 'the key was revoked or has expired')
            await stream.writeSSE({
              event: 'error',
              data: JSON.stringify({ error: describeError(err).body }),
            })
            break
          }
          try {
            batch = (await feed.read({ repoId: repo.repoId, since: cursor, limit: PAGE })).events
          } catch (err) {
            // An expired cursor ends the stream: the client must resync.
            if (err instanceof CursorExpiredError) {
              await stream.writeSSE({
                event: 'error',
                data: JSON.stringify({ error: describeError(err).body }),
              })
              break
            }
            // The database is away (a restart, say): keep the stream, try again shortly.
            batch = []
            dirty = true
            await stream.write(': waiting for the database\n\n')
            await new Promise((resolve) => setTimeout(resolve, Math.min(1000, heartbeatMs)))
          }
        }
      } finally {
        unsubscribe()
      }
    })
  })
  return app
}
