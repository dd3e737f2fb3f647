import {
  FLUSH,
  GitPgError,
  advertiseRefs,
  pktLine,
  receivePack,
  uploadPack,
  type GitService,
  type OnRefsUpdated,
} from '@gitpg/git-pg-fs'
import type { Context } from 'hono'
import type { AppEnv, RouteModule } from '../context.ts'
import { requestBody, started, streamBody } from './streams.ts'

export interface GitHttpOptions {
  /** runs inside the transaction of every push that moved refs (e.g. to append to a change feed) */
  onRefsUpdated?: OnRefsUpdated
}

/** Where git smart HTTP is served: `/git/<projectId>.git/...` (the `.git` is optional). */
export const GIT_HTTP_PREFIX = '/git/'

const GIT_PATH = /^\/git\/(.+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/
const SERVICES: readonly string[] = ['git-upload-pack', 'git-receive-pack']

const noCache = {
  'Cache-Control': 'no-cache, max-age=0, must-revalidate',
  Expires: 'Fri, 01 Jan 1980 00:00:00 GMT',
  Pragma: 'no-cache',
}

const text = (status: number, body: string) =>
  new Response(`${body}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

/**
 * git's smart HTTP protocol (v0/v1; a client asking for v2 falls back) at
 * `/git/:projectId.git`: `GET info/refs?service=...`, `POST git-upload-pack` (clone, fetch) and
 * `POST git-receive-pack` (push). The auth middleware has checked the key (HTTP Basic auth with
 * the key as password) and its scope: read to clone and fetch, write to push.
 *
 * @example
 * // git clone http://git:$GITPG_API_KEY@127.0.0.1:3001/git/docs.git
 */
export function gitHttpRoutes({ onRefsUpdated }: GitHttpOptions = {}): RouteModule {
  return (app, deps) => {
    const handle = async (c: Context<AppEnv>) => {
      const m = GIT_PATH.exec(c.req.path)
      if (!m) return text(404, 'not a git smart HTTP path')
      let projectId: string
      try {
        projectId = decodeURIComponent(m[1])
      } catch {
        return text(404, 'repository not found')
      }
      const repo = await deps.store.getRepo(projectId)
      if (!repo) return text(404, `repository ${projectId} not found`)
      const { store } = deps
      const repoId = repo.repoId

      if (m[2] === 'info/refs') {
        if (c.req.method !== 'GET') return text(405, 'use GET')
        const service = c.req.query('service') ?? ''
        if (!SERVICES.includes(service))
          return text(403, 'only the smart HTTP protocol is served: ask for ?service=')
        const ad = await advertiseRefs({ store, repoId, service: service as GitService })
        const body = Buffer.concat([pktLine(`# service=${service}\n`), FLUSH, ad])
        return new Response(new Uint8Array(body), {
          headers: { 'Content-Type': `application/x-${service}-advertisement`, ...noCache },
        })
      }

      if (c.req.method !== 'POST') return text(405, 'use POST')
      const service = m[2]
      const expected = `application/x-${service}-request`
      const type = c.req.header('content-type')
      if (type !== undefined && type !== expected) return text(415, `expected ${expected}`)
      const request = requestBody(c.req.raw, deps.config.bodyLimit)
      const onInternalError = (err: unknown) =>
        deps.logger.error({ err, projectId, service }, 'git smart HTTP request failed')
      const { maxObjectSize, maxHaves } = deps.config
      const output =
        service === 'git-upload-pack'
          ? uploadPack({ store, repoId, request, maxHaves, onInternalError })
          : receivePack({ store, repoId, request, onRefsUpdated, maxObjectSize, onInternalError })
      let body: ReadableStream<Uint8Array>
      try {
        body = streamBody(await started(output))
      } catch (err) {
        if (err instanceof GitPgError && err.code === 'PAYLOAD_TOO_LARGE')
          return text(413, err.message)
        // anything else fails the response stream, as it would have after the first byte
        body = new ReadableStream({ start: (controller) => controller.error(err) })
      }
      return new Response(body, {
        headers: { 'Content-Type': `application/x-${service}-result`, ...noCache },
      })
    }
    app.get(`${GIT_HTTP_PREFIX}*`, handle)
    app.post(`${GIT_HTTP_PREFIX}*`, handle)
  }
}
