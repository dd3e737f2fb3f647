import { isAbsolute, resolve } from 'node:path'
import {
  DEFAULT_RENAME_LIMIT,
  DEFAULT_RENAME_MAX_BYTES,
  DEFAULT_RENAME_MAX_STEPS,
  DEFAULT_BACKEND_FLUSH_AFTER,
  DEFAULT_BLAME_LIMITS,
  type BlameLimits,
  DEFAULT_CACHE_BUDGET_BYTES,
  DEFAULT_MAX_HAVES,
} from '@gitpg/git-pg-fs'
import { GITHUB_URL, gitHubHost } from '@gitpg/sync'
import { DEFAULT_BODY_LIMIT } from './app.ts'
import {
  DEFAULT_DIFF_MAX_LINES,
  DEFAULT_DIFF_MAX_STEPS,
  DEFAULT_PATCH_MAX_BYTES,
} from './domain/patch.ts'
import { DEFAULT_GREP_LIMITS } from './domain/grep/grep.ts'
import { DEFAULT_READ_LIMITS } from './domain/read-limits.ts'
import { DEFAULT_GREP_MAX_LIMIT } from './routes/grep.ts'
import { DEFAULT_MAX_INFLIGHT_BYTES } from './middleware/inflight-budget.ts'
import { DEFAULT_MCP_MAX_BATCH } from './mcp/batch-limit.ts'
import { DEFAULT_MCP_MAX_CHARS } from './mcp/mcp-routes.ts'
import { DEFAULT_PRUNE_EXPIRE, parsePruneAge } from './domain/prune-age.ts'

/** The server's configuration, read from the environment once at start. */
export interface Config {
  /** null: the embedded database in `dataDir` */
  databaseUrl: string | null
  dataDir: string
  port: number
  host: string
  /** null: generated on first start and kept in the data dir */
  apiKey: string | null
  githubToken: string | null
  /**
   * the GitHub `githubToken` belongs to and is sent to (its web and API origins only):
   * https://github.com, or a GitHub Enterprise Server's base URL
   */
  githubUrl: string
  bodyLimit: number
  logLevel: string
  /** byte budget of all the server's caches together (objects, delta bases, rename and grep caches) */
  cacheBytes: number
  /** how far V8 lets the heap grow past its live size before a full collection, in %; 0: V8's own */
  heapGrowthPercent: number
  /** change-feed events older than this are compacted away; older cursors get CURSOR_EXPIRED */
  feedRetentionSeconds: number
  /** PostgreSQL's `backend_flush_after` for the server's sessions; null keeps the database's */
  backendFlushAfter: string | null
  /** a patch diffs files of at most this many lines (either side) line by line */
  diffMaxLines: number
  /** work budget of one file's line diff in a patch, in steps of Myers' algorithm */
  diffMaxSteps: number
  /** largest git object a push or import may bring, in bytes (GitHub's limit: 100 MB) */
  maxObjectSize: number
  /** `have` lines considered per upload-pack request; the rest are ignored */
  maxHaves: number
  /** largest patch `GET /diff?format=patch` answers, in bytes; past it, `PATCH_TOO_LARGE` */
  patchMaxBytes: number
  /** `diff.renameLimit` of rename detection: past limit² file pairs, exact renames only */
  renameLimit: number
  /** blob bytes one rename detection may read; past it, exact renames only */
  renameMaxBytes: number
  /** work of one rename detection's similarity matrix; past it, exact renames only */
  renameMaxSteps: number
  /** content bytes one batch read answers with; the paths past it are listed as skipped */
  batchMaxBytes: number
  /** paths one batch read may name */
  batchMaxPaths: number
  /** files one listing may hold; a larger one is refused (narrow it with a prefix) */
  listMaxFiles: number
  /** request-body bytes the server holds in memory at once, over all requests */
  maxInflightBytes: number
  /** origins a browser may call the API from (`GITPG_CORS_ORIGINS`; `*`: any); empty: CORS off */
  corsOrigins: string[]
  /** how long a scoped key's record is cached: a revocation holds everywhere within it */
  keyCacheTtlSeconds: number
  /** characters one MCP tool result may hold; past it, the result says how to get the rest */
  mcpMaxChars: number
  /** JSON-RPC messages one MCP request may carry; a larger batch is refused */
  mcpMaxBatch: number
  /** how long one grep request may search, in seconds; past it, `GREP_TIMEOUT` */
  grepTimeoutSeconds: number
  /** most matches one grep page may ask for */
  grepMaxLimit: number
  /** bytes of line text one grep page holds */
  grepMaxBytes: number
  /** bounds on one blame: commits walked, bytes and lines of a version, steps of line diff */
  blameLimits: BlameLimits
  /** maintenance removes unreachable objects older than this (`GITPG_PRUNE_EXPIRE`, git's age syntax) */
  pruneExpire: string
  /** how often the background maintenance job runs, in seconds; 0: never */
  maintenanceIntervalSeconds: number
  /** pause between maintenance batches, in ms */
  maintenancePauseMs: number
  /** rows one maintenance or deletion transaction changes */
  maintenanceBatch: number
}

/** A bad configuration value; its message is the one line the server prints before exiting. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/** GitHub refuses files over 100 MB. */
export const DEFAULT_MAX_OBJECT_SIZE = 100 * 1024 ** 2
/** PostgreSQL stores at most 1 GB in one `bytea` value. */
const MAX_OBJECT_SIZE_LIMIT = 1024 ** 3 - 1024 ** 2

/** A revoked key is refused by every server within this many seconds. */
export const DEFAULT_KEY_CACHE_TTL_SECONDS = 10

/** Seven days: long enough for a device that was offline over a weekend to catch up. */
export const DEFAULT_FEED_RETENTION_SECONDS = 7 * 86400

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }

const DURATION_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }

/** `3600`, `90s`, `30m`, `12h`, `7d` → seconds. */
export function parseDuration(value: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$/i.exec(value)
  if (!m) return null
  const seconds = Math.floor(Number(m[1]) * DURATION_UNITS[(m[2] ?? '').toLowerCase()])
  return seconds > 0 && Number.isSafeInteger(seconds) ? seconds : null
}

/** `52428800`, `50mb`, `512KB`, `1gb` → bytes. */
export function parseSize(value: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value)
  if (!m) return null
  const bytes = Math.floor(Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()])
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : null
}

/** `GITPG_MAINTENANCE_INTERVAL`: hourly by default; `0` or `off` turns the job off. */
export const DEFAULT_MAINTENANCE_INTERVAL_SECONDS = 3600
/** A short breath between batches, so a background run leaves room to autosaves and commits. */
export const DEFAULT_MAINTENANCE_PAUSE_MS = 20
export const DEFAULT_MAINTENANCE_BATCH = 1000
/**
 * `GITPG_HEAP_GROWTH`: V8 lets a heap grow to up to 4× its live size between full collections on a
 * machine with memory to spare; 20% keeps a server's garbage to a fifth of its live heap.
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 20

/** A whole number of at least 1 from `name`, or `fallback` when unset. */
function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = nonEmpty(env, name)
  if (raw === undefined) return fallback
  const value = Number(raw.replace(/_/g, ''))
  if (!/^\d[\d_]*$/.test(raw) || !Number.isSafeInteger(value) || value < 1)
    throw new ConfigError(
      `${name} must be a whole number of at least 1, not ${JSON.stringify(raw)}`,
    )
  return value
}

function sizeSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = nonEmpty(env, name)
  const value = raw === undefined ? fallback : parseSize(raw)
  if (value === null)
    throw new ConfigError(
      `${name} must be a size such as 52428800, 50mb or 1gb, not ${JSON.stringify(raw)}`,
    )
  return value
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

/**
 * Reads and validates the configuration. Relative paths resolve against `cwd` (the directory
 * the user started from). Throws `ConfigError` naming the variable and what is wrong.
 *
 * @example
 * const config = loadConfig({ env: process.env, cwd: process.cwd() })
 */
export function loadConfig({ env, cwd }: { env: NodeJS.ProcessEnv; cwd: string }): Config {
  const databaseUrl = nonEmpty(env, 'DATABASE_URL') ?? null
  if (databaseUrl !== null) {
    let protocol = ''
    try {
      protocol = new URL(databaseUrl).protocol
    } catch {
      throw new ConfigError('DATABASE_URL is not a URL (expected postgres://user@host:port/db)')
    }
    if (protocol !== 'postgres:' && protocol !== 'postgresql:')
      throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://`)
  }

  const dataDirRaw = nonEmpty(env, 'GITPG_DATA_DIR') ?? './.gitpg'
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw)

  const portRaw = nonEmpty(env, 'PORT') ?? '3001'
  const port = Number(portRaw)
  if (!/^\d+$/.test(portRaw) || port > 65535)
    throw new ConfigError(`PORT must be a number from 0 to 65535, not ${JSON.stringify(portRaw)}`)

  const host = nonEmpty(env, 'HOST') ?? '127.0.0.1'
  if (/\s|\//.test(host))
    throw new ConfigError(`HOST must be a host name or address, not ${JSON.stringify(host)}`)

  const apiKey = nonEmpty(env, 'GITPG_API_KEY') ?? null
  if (apiKey !== null && (apiKey.length < 16 || !/^[\x21-\x7e]+$/.test(apiKey)))
    throw new ConfigError('GITPG_API_KEY must be at least 16 printable characters without spaces')

  const githubRaw = nonEmpty(env, 'GITHUB_URL') ?? GITHUB_URL
  let githubUrl: string
  try {
    githubUrl = gitHubHost(githubRaw).url
  } catch {
    throw new ConfigError(
      `GITHUB_URL must be the http(s) base URL of GitHub or GitHub Enterprise, such as https://ghe.example.com, without a path or credentials, not ${JSON.stringify(githubRaw.replace(/\/\/[^/@]*@/, '//***@'))}`,
    )
  }

  const limitRaw = nonEmpty(env, 'GITPG_BODY_LIMIT')
  const bodyLimit = limitRaw === undefined ? DEFAULT_BODY_LIMIT : parseSize(limitRaw)
  if (bodyLimit === null)
    throw new ConfigError(
      `GITPG_BODY_LIMIT must be a size such as 52428800, 50mb or 1gb, not ${JSON.stringify(limitRaw)}`,
    )

  const logLevel = nonEmpty(env, 'GITPG_LOG_LEVEL') ?? 'info'
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(`GITPG_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)

  const retentionRaw = nonEmpty(env, 'GITPG_FEED_RETENTION')
  const feedRetentionSeconds =
    retentionRaw === undefined ? DEFAULT_FEED_RETENTION_SECONDS : parseDuration(retentionRaw)
  if (feedRetentionSeconds === null)
    throw new ConfigError(
      `GITPG_FEED_RETENTION must be a duration such as 3600, 30m, 12h or 7d, not ${JSON.stringify(retentionRaw)}`,
    )

  const cacheRaw = nonEmpty(env, 'GITPG_CACHE_MB')
  const cacheMb = cacheRaw === undefined ? DEFAULT_CACHE_BUDGET_BYTES / 1024 ** 2 : Number(cacheRaw)
  if (cacheRaw !== undefined && !/^\d+$/.test(cacheRaw))
    throw new ConfigError(
      `GITPG_CACHE_MB must be a whole number of megabytes (0 disables the cache), not ${JSON.stringify(cacheRaw)}`,
    )

  const growthRaw = nonEmpty(env, 'GITPG_HEAP_GROWTH')
  const heapGrowthPercent =
    growthRaw === undefined ? DEFAULT_HEAP_GROWTH_PERCENT : Number(growthRaw)
  if (growthRaw !== undefined && (!/^\d+$/.test(growthRaw) || heapGrowthPercent > 1000))
    throw new ConfigError(
      `GITPG_HEAP_GROWTH must be a whole percentage from 0 (V8's own) to 1000, not ${JSON.stringify(growthRaw)}`,
    )

  const flushRaw = nonEmpty(env, 'GITPG_PG_FLUSH_AFTER') ?? DEFAULT_BACKEND_FLUSH_AFTER
  if (flushRaw !== 'server' && !/^\d+(B|kB|MB)?$/.test(flushRaw))
    throw new ConfigError(
      `GITPG_PG_FLUSH_AFTER must be a PostgreSQL size such as 256kB, 0 or 1MB, or "server", not ${JSON.stringify(flushRaw)}`,
    )

  const diffMaxLines = positiveInteger(env, 'GITPG_DIFF_MAX_LINES', DEFAULT_DIFF_MAX_LINES)
  const diffMaxSteps = positiveInteger(env, 'GITPG_DIFF_MAX_STEPS', DEFAULT_DIFF_MAX_STEPS)
  const objectRaw = nonEmpty(env, 'GITPG_MAX_OBJECT_SIZE')
  const maxObjectSize = objectRaw === undefined ? DEFAULT_MAX_OBJECT_SIZE : parseSize(objectRaw)
  if (maxObjectSize === null || maxObjectSize > MAX_OBJECT_SIZE_LIMIT)
    throw new ConfigError(
      `GITPG_MAX_OBJECT_SIZE must be a size such as 104857600, 100mb or 500mb, below 1023mb, not ${JSON.stringify(objectRaw)}`,
    )

  const havesRaw = nonEmpty(env, 'GITPG_MAX_HAVES')
  const maxHaves = havesRaw === undefined ? DEFAULT_MAX_HAVES : Number(havesRaw)
  if (havesRaw !== undefined && (!/^\d+$/.test(havesRaw) || maxHaves < 1))
    throw new ConfigError(
      `GITPG_MAX_HAVES must be a whole number of have lines, at least 1, not ${JSON.stringify(havesRaw)}`,
    )

  const patchMaxBytes = sizeSetting(env, 'GITPG_PATCH_MAX_BYTES', DEFAULT_PATCH_MAX_BYTES)
  const renameLimit = positiveInteger(env, 'GITPG_RENAME_LIMIT', DEFAULT_RENAME_LIMIT)
  const renameMaxBytes = sizeSetting(env, 'GITPG_RENAME_MAX_BYTES', DEFAULT_RENAME_MAX_BYTES)
  const renameMaxSteps = positiveInteger(env, 'GITPG_RENAME_MAX_STEPS', DEFAULT_RENAME_MAX_STEPS)

  const batchMaxBytes = sizeSetting(env, 'GITPG_BATCH_MAX_BYTES', DEFAULT_READ_LIMITS.batchMaxBytes)
  const batchMaxPaths = positiveInteger(
    env,
    'GITPG_BATCH_MAX_PATHS',
    DEFAULT_READ_LIMITS.batchMaxPaths,
  )
  const listMaxFiles = positiveInteger(
    env,
    'GITPG_LIST_MAX_FILES',
    DEFAULT_READ_LIMITS.listMaxFiles,
  )
  // unset, the budget grows with a raised body limit so that one request always fits
  const maxInflightBytes = sizeSetting(
    env,
    'GITPG_MAX_INFLIGHT_BYTES',
    Math.max(DEFAULT_MAX_INFLIGHT_BYTES, bodyLimit),
  )
  if (maxInflightBytes < bodyLimit)
    throw new ConfigError(
      `GITPG_MAX_INFLIGHT_BYTES (${maxInflightBytes}) must be at least GITPG_BODY_LIMIT (${bodyLimit})`,
    )

  const corsOrigins = (nonEmpty(env, 'GITPG_CORS_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
  for (const origin of corsOrigins)
    if (origin !== '*' && !isOrigin(origin))
      throw new ConfigError(
        `GITPG_CORS_ORIGINS must be comma-separated origins such as https://app.example.com (scheme, host, optional port, no path), not ${JSON.stringify(origin)}`,
      )

  const ttlRaw = nonEmpty(env, 'GITPG_KEY_CACHE_TTL')
  const keyCacheTtlSeconds =
    ttlRaw === undefined ? DEFAULT_KEY_CACHE_TTL_SECONDS : parseDuration(ttlRaw)
  if (keyCacheTtlSeconds === null)
    throw new ConfigError(
      `GITPG_KEY_CACHE_TTL must be a duration such as 10, 10s or 1m, not ${JSON.stringify(ttlRaw)}`,
    )

  const mcpMaxChars = positiveInteger(env, 'GITPG_MCP_MAX_CHARS', DEFAULT_MCP_MAX_CHARS)
  const mcpMaxBatch = positiveInteger(env, 'GITPG_MCP_MAX_BATCH', DEFAULT_MCP_MAX_BATCH)

  const grepRaw = nonEmpty(env, 'GITPG_GREP_TIMEOUT')
  const grepTimeoutSeconds =
    grepRaw === undefined ? DEFAULT_GREP_LIMITS.timeoutMs / 1000 : parseDuration(grepRaw)
  if (grepTimeoutSeconds === null)
    throw new ConfigError(
      `GITPG_GREP_TIMEOUT must be a duration such as 10, 30s or 2m, not ${JSON.stringify(grepRaw)}`,
    )
  const grepMaxLimit = positiveInteger(env, 'GITPG_GREP_MAX_LIMIT', DEFAULT_GREP_MAX_LIMIT)
  const grepMaxBytes = sizeSetting(env, 'GITPG_GREP_MAX_BYTES', DEFAULT_GREP_LIMITS.maxBytes)
  const blameLimits: BlameLimits = {
    maxCommits: positiveInteger(env, 'GITPG_BLAME_MAX_COMMITS', DEFAULT_BLAME_LIMITS.maxCommits),
    maxBytes: sizeSetting(env, 'GITPG_BLAME_MAX_BYTES', DEFAULT_BLAME_LIMITS.maxBytes),
    maxLines: positiveInteger(env, 'GITPG_BLAME_MAX_LINES', DEFAULT_BLAME_LIMITS.maxLines),
    maxSteps: positiveInteger(env, 'GITPG_BLAME_MAX_STEPS', DEFAULT_BLAME_LIMITS.maxSteps),
  }

  const pruneExpire = nonEmpty(env, 'GITPG_PRUNE_EXPIRE') ?? DEFAULT_PRUNE_EXPIRE
  if (parsePruneAge(pruneExpire, new Date()) === null)
    throw new ConfigError(
      `GITPG_PRUNE_EXPIRE must be an age such as 2.weeks.ago, 14.days, 12h, now, never or a date, not ${JSON.stringify(pruneExpire)}`,
    )
  const intervalRaw = nonEmpty(env, 'GITPG_MAINTENANCE_INTERVAL')
  const maintenanceIntervalSeconds =
    intervalRaw === undefined
      ? DEFAULT_MAINTENANCE_INTERVAL_SECONDS
      : /^(0|off)$/i.test(intervalRaw)
        ? 0
        : parseDuration(intervalRaw)
  if (maintenanceIntervalSeconds === null)
    throw new ConfigError(
      `GITPG_MAINTENANCE_INTERVAL must be a duration such as 3600, 30m or 1h, or 0/off, not ${JSON.stringify(intervalRaw)}`,
    )
  const pauseRaw = nonEmpty(env, 'GITPG_MAINTENANCE_PAUSE')
  const maintenancePauseMs =
    pauseRaw === undefined
      ? DEFAULT_MAINTENANCE_PAUSE_MS
      : /^\d+$/.test(pauseRaw)
        ? Number(pauseRaw)
        : null
  if (maintenancePauseMs === null)
    throw new ConfigError(
      `GITPG_MAINTENANCE_PAUSE must be a whole number of milliseconds, not ${JSON.stringify(pauseRaw)}`,
    )
  const maintenanceBatch = positiveInteger(
    env,
    'GITPG_MAINTENANCE_BATCH',
    DEFAULT_MAINTENANCE_BATCH,
  )

  return {
    databaseUrl,
    dataDir,
    port,
    host,
    apiKey,
    githubToken: nonEmpty(env, 'GITHUB_TOKEN') ?? null,
    githubUrl,
    bodyLimit,
    logLevel,
    feedRetentionSeconds,
    cacheBytes: cacheMb * 1024 ** 2,
    heapGrowthPercent,
    backendFlushAfter: flushRaw === 'server' ? null : flushRaw,
    diffMaxLines,
    diffMaxSteps,
    maxObjectSize,
    maxHaves,
    patchMaxBytes,
    renameLimit,
    renameMaxBytes,
    renameMaxSteps,
    batchMaxBytes,
    batchMaxPaths,
    listMaxFiles,
    maxInflightBytes,
    corsOrigins,
    keyCacheTtlSeconds,
    mcpMaxChars,
    mcpMaxBatch,
    grepTimeoutSeconds,
    grepMaxLimit,
    grepMaxBytes,
    blameLimits,
    pruneExpire,
    maintenanceIntervalSeconds,
    maintenancePauseMs,
    maintenanceBatch,
  }
}

/** `https://app.example.com`, `http://localhost:5173`: what a browser sends as `Origin`. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value
  } catch {
    return false
  }
}
