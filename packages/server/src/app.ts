import {
  ObjectCache,
  type Database,
  type OnRefsUpdated,
  type PostgresStore,
} from '@gitpg/git-pg-fs'
import pino, { type Logger } from 'pino'
import type { ApiApp, AppConfig, AppDeps, RouteModule } from './context.ts'
import { keyFromHeaders } from './auth/credentials.ts'
import { KeyResolver, DEFAULT_KEY_CACHE_TTL_MS } from './auth/key-resolver.ts'
import { apiKeyAuth } from './middleware/auth.ts'
import { corsFor } from './middleware/cors.ts'
import { bodyLimit } from './middleware/body-limit.ts'
import {
  ByteBudget,
  DEFAULT_MAX_INFLIGHT_BYTES,
  inflightBudget,
} from './middleware/inflight-budget.ts'
import { errorHandler, notFound } from './middleware/error-handler.ts'
import { requestLog } from './middleware/request-log.ts'
import { GIT_HTTP_PREFIX, gitHttpRoutes } from './git-http/git-http-routes.ts'
import { exportRoutes } from './routes/export.ts'
import { changesRoute, changesRoutes } from './routes/changes.ts'
import { FeedNotifier } from './feed/feed-notifier.ts'
import { blameRoutes } from './routes/blame.ts'
import { branchesRoutes } from './routes/branches.ts'
import { commitsRoutes } from './routes/commits.ts'
import { filesRoutes } from './routes/files.ts'
import { grepRoutes } from './routes/grep.ts'
import { healthRoutes } from './routes/health.ts'
import { historyRoutes } from './routes/history.ts'
import { keysRoutes } from './routes/keys.ts'
import { maintenanceRoutes } from './routes/maintenance.ts'
import { mcpRoutes } from './mcp/mcp-routes.ts'
import { createApiApp } from './routes/openapi.ts'
import { pendingRoutes } from './routes/pending.ts'
import { pendingDiffRoutes } from './routes/pending-diff.ts'
import { projectsRoutes } from './routes/projects.ts'
import { syncRoutes } from './routes/sync.ts'
import { tagsRoutes } from './routes/tags.ts'
import type { PendingStore } from './store/pending-store.ts'
import type { KeyStore } from './store/key-store.ts'
import { PostgresKeyStore } from './store/postgres/postgres-key-store.ts'
import { PostgresChangeFeed } from './store/postgres/postgres-change-feed.ts'
import { PostgresPendingStore } from './store/postgres/pending-store.ts'

/** The route files of the API, in registration order. A new resource adds its module here. */
export const ROUTES: readonly RouteModule[] = [
  healthRoutes,
  projectsRoutes,
  filesRoutes,
  pendingDiffRoutes,
  pendingRoutes,
  commitsRoutes,
  historyRoutes,
  grepRoutes,
  blameRoutes,
  branchesRoutes,
  tagsRoutes,
  maintenanceRoutes,
  syncRoutes,
  exportRoutes,
  keysRoutes,
  mcpRoutes,
]

export const DEFAULT_BODY_LIMIT = 50 * 1024 * 1024

export interface CreateAppOptions {
  store: PostgresStore
  db: Database
  config: Partial<AppConfig> & { apiKey: string }
  logger?: Logger
  pending?: PendingStore
  /** scoped keys; by default in the database */
  keys?: KeyStore
  cache?: ObjectCache
  /** more route modules, registered after the built-in ones */
  routes?: readonly RouteModule[]
  /** paths (by prefix) whose bodies the body limit leaves to their routes, e.g. git pushes */
  unlimitedBodyPaths?: readonly string[]
  /** wakes live change streams; without one, streams re-read on every heartbeat */
  notifier?: FeedNotifier
  /** how often live change streams send a heartbeat (ms) */
  heartbeatMs?: number
  /** runs inside the transaction of every `git push` that moved refs */
  onRefsUpdated?: OnRefsUpdated
  /** how long a request waits for room in the in-flight body budget before a 503 (ms) */
  inflightWaitMs?: number
}

/**
 * The gitpg HTTP API as a Hono app; serve it with @hono/node-server or drive it in tests with
 * `app.request()`. Every route but `GET /health` requires a key (`X-Internal-API-Key`, or
 * `Authorization: Bearer`): the configured one, or a scoped key allowed the route.
 *
 * @example
 * const app = createApp({ store: new PostgresStore({ db }), db, config: { apiKey } })
 * const res = await app.request('/projects/docs', { headers: { 'X-Internal-API-Key': apiKey } })
 */
export function createApp(options: CreateAppOptions): ApiApp {
  const feed = new PostgresChangeFeed({ executor: options.db })
  const keys = options.keys ?? new PostgresKeyStore({ executor: options.db })
  const resolver = new KeyResolver({
    adminKey: options.config.apiKey,
    keys,
    ttlMs: options.config.keyCacheTtlMs ?? DEFAULT_KEY_CACHE_TTL_MS,
  })
  const deps: AppDeps = {
    store: options.store,
    maintenanceStore: options.store,
    pending: options.pending ?? new PostgresPendingStore({ db: options.db }),
    feed,
    database: feed,
    cache: options.cache ?? new ObjectCache(),
    keys,
    resolver,
    // a `bodyLimit: undefined` in the options still gets the default, never no limit at all
    config: { ...options.config, bodyLimit: options.config?.bodyLimit ?? DEFAULT_BODY_LIMIT },
    logger: options.logger ?? pino({ level: 'silent' }),
  }
  const unlimited = [GIT_HTTP_PREFIX, ...(options.unlimitedBodyPaths ?? [])]
  const app = createApiApp()
  // autosaves come thousands a second: successful ones are logged at debug
  app.use(
    requestLog(deps.logger, {
      quiet: (method, path) => method === 'PUT' && path.startsWith('/pending/'),
    }),
  )
  app.use(corsFor(deps.config.corsOrigins ?? []))
  app.use(apiKeyAuth({ resolver }))
  const skipBody = (path: string) => unlimited.some((prefix) => path.startsWith(prefix))
  app.use(
    inflightBudget({
      budget: new ByteBudget(deps.config.maxInflightBytes ?? DEFAULT_MAX_INFLIGHT_BYTES),
      maxBodySize: deps.config.bodyLimit,
      waitMs: options.inflightWaitMs,
      skip: skipBody,
    }),
  )
  app.use(bodyLimit({ maxSize: deps.config.bodyLimit, skip: skipBody }))
  app.onError(errorHandler(deps.logger))
  app.notFound(notFound)
  const git = gitHttpRoutes({ onRefsUpdated: options.onRefsUpdated })
  for (const register of [...ROUTES, git, ...(options.routes ?? [])]) register(app, deps)
  app.route(
    '/',
    changesRoutes({
      feed: deps.feed,
      store: deps.store,
      notifier: options.notifier ?? new FeedNotifier({ connectionString: null }),
      heartbeatMs: options.heartbeatMs ?? (options.notifier ? 15_000 : 1_000),
      stillAuthorized: async (c) => {
        const key = keyFromHeaders(c.req.raw.headers, { basic: false })
        return key !== null && (await resolver.resolve(key)).ok
      },
    }),
  )
  app.openAPIRegistry.registerPath(changesRoute)
  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'gitpg',
      version: '0.1.0',
      description: 'Git repositories stored in PostgreSQL, over HTTP.',
    },
    security: [{ apiKey: [] }, { bearer: [] }],
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Internal-API-Key',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'the same key as `X-Internal-API-Key`: the configured one, or a scoped key',
  })
  return app
}
