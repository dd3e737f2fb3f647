import type { OpenAPIHono } from '@hono/zod-openapi'
import type { BlameLimits, GitStore, ObjectCache, PostgresStore } from '@gitpg/git-pg-fs'
import type { Logger } from 'pino'
import type { ChangeFeed, DatabaseProbe } from './store/change-feed.ts'
import type { GrepLimits } from './domain/grep/grep.ts'
import type { ReadLimits } from './domain/read-limits.ts'
import type { PendingStore } from './store/pending-store.ts'
import type { KeyStore } from './store/key-store.ts'
import type { KeyResolver } from './auth/key-resolver.ts'
import type { Principal } from './auth/principal.ts'

/** What the HTTP layer needs from the configuration. */
export interface AppConfig {
  /** the admin key: every request but `GET /health` must carry it or a scoped key */
  apiKey: string
  /** how long a scoped key's record is cached, in ms (default 10 s): a revocation's delay */
  keyCacheTtlMs?: number
  /** characters one MCP tool result may hold (default 40,000) */
  mcpMaxChars?: number
  /** JSON-RPC messages (tool calls) one MCP request may carry (default 10) */
  mcpMaxBatch?: number
  /** origins allowed to call the API from a browser (CORS); none by default */
  corsOrigins?: readonly string[]
  /** largest request body accepted, in bytes */
  bodyLimit: number
  /** token for sync with GitHub when a request brings none */
  githubToken?: string
  /** the GitHub `githubToken` is sent to (web and API origins only); https://github.com by default */
  githubUrl?: string
  /** a patch diffs files of at most this many lines line by line (default 100,000) */
  diffMaxLines?: number
  /** work budget of one file's line diff in a patch (default 20,000,000 steps) */
  diffMaxSteps?: number
  /** largest git object a push or import may bring, in bytes */
  maxObjectSize?: number
  /** `have` lines considered per upload-pack request (the rest are ignored) */
  maxHaves?: number
  /** `diff.renameLimit` of rename detection (default 1000, as git) */
  renameLimit?: number
  /** blob bytes one rename detection may read (default 256 MiB); past it, exact renames only */
  renameMaxBytes?: number
  /** work of one rename detection's similarity matrix (default 200,000,000 steps); past it, exact renames only */
  renameMaxSteps?: number
  /** largest patch answered, in bytes (default 64 MiB); past it, `PATCH_TOO_LARGE` */
  patchMaxBytes?: number
  /** bounds on batch reads and listings; defaults `DEFAULT_READ_LIMITS` */
  readLimits?: Partial<ReadLimits>
  /** bounds on grep; defaults `DEFAULT_GREP_LIMITS` */
  grepLimits?: Partial<GrepLimits>
  /** most matches one grep page may ask for (default 1000) */
  grepMaxLimit?: number
  /** estimated heap bytes of the tree listings grep keeps (default 16 MiB, a share of the cache budget) */
  grepListingBytes?: number
  /** request-body bytes held in memory at once, over all requests */
  maxInflightBytes?: number
  /** bounds on one blame; defaults `DEFAULT_BLAME_LIMITS` */
  blameLimits?: Partial<BlameLimits>
  /** maintenance and deletion: rows per transaction, pause between batches, default prune age */
  maintenance?: Partial<MaintenanceConfig>
}

export interface MaintenanceConfig {
  /** rows one transaction of a maintenance run or a project deletion changes (default 1000) */
  batchSize: number
  /** pause between batches of a run, in ms (default 0 in requests) */
  pauseMs: number
  /** prune age of runs that name none (default `2.weeks.ago`) */
  pruneExpire: string
}

/** Everything a route module may use: stores, never a raw database handle. */
export interface AppDeps {
  store: GitStore
  /** the same store, as maintenance needs it (its database, for locks and batches) */
  maintenanceStore: PostgresStore
  pending: PendingStore
  feed: ChangeFeed
  database: DatabaseProbe
  cache: ObjectCache
  /** scoped keys, and the cached view of them every request is checked against */
  keys: KeyStore
  resolver: KeyResolver
  config: AppConfig
  logger: Logger
}

export interface AppEnv {
  Variables: {
    requestId: string
    /** the request body, when a middleware has already read it (see `readBody`) */
    body: Buffer | undefined
    /** who the request acts as, set by the auth middleware (none on open routes) */
    principal: Principal | undefined
  }
}

export type ApiApp = OpenAPIHono<AppEnv>

/** A route file: registers its routes (and their OpenAPI descriptions) on the app. */
export type RouteModule = (app: ApiApp, deps: AppDeps) => void
