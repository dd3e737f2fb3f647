import type { OpenAPIHono } from '@hono/zod-openapi'
import type { Database, GitStore, ObjectCache } from '@gitpg/git-pg-fs'
import type { Logger } from 'pino'
import type { ReadLimits } from './domain/read-limits.ts'
import type { PendingStore } from './store/pending-store.ts'

/** What the HTTP layer needs from the configuration. */
export interface AppConfig {
  /** the key every request but `GET /health` must carry in `X-Internal-API-Key` */
  apiKey: string
  /** largest request body accepted, in bytes */
  bodyLimit: number
  /** token for sync with GitHub when a request brings none */
  githubToken?: string
  /** bounds on batch reads and listings; defaults `DEFAULT_READ_LIMITS` */
  readLimits?: Partial<ReadLimits>
  /** request-body bytes held in memory at once, over all requests */
  maxInflightBytes?: number
}

/** Everything a route module may use. */
export interface AppDeps {
  store: GitStore
  db: Database
  pending: PendingStore
  cache: ObjectCache
  config: AppConfig
  logger: Logger
}

export interface AppEnv {
  Variables: {
    requestId: string
    /** the request body, when a middleware has already read it (see `readBody`) */
    body: Buffer | undefined
  }
}

export type ApiApp = OpenAPIHono<AppEnv>

/** A route file: registers its routes (and their OpenAPI descriptions) on the app. */
export type RouteModule = (app: ApiApp, deps: AppDeps) => void
