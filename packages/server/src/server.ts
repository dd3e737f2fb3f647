import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import {
  ObjectCache,
  SizeCache,
  SpanCache,
  splitCacheBudget,
  startInflateWorker,
  type Database,
} from '@gitpg/git-pg-fs'
import type { DestinationStream } from 'pino'
import { resolveApiKey } from './api-key.ts'
import { createApp } from './app.ts'
import { loadConfig, type Config } from './config.ts'
import {
  openDatabase,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from './embedded/embedded-postgres.ts'
import { createLogger } from './logger.ts'
import { databaseError, listenError, safeDatabaseUrl } from './startup-errors.ts'
import { runMigrations } from './store/postgres/run-migrations.ts'
import { createStore } from './store/postgres/create-store.ts'
import { applyHeapGrowth } from './heap-growth.ts'
import { FeedNotifier } from './feed/feed-notifier.ts'
import { FeedCompactor } from './feed/feed-compactor.ts'
import { MaintenanceJob } from './maintenance/maintenance-job.ts'

export interface RunningServer {
  url: string
  port: number
  config: Config
  apiKey: string
  /** the Node HTTP server: its events (`request`, `connection`) and connection counts */
  http: Server
  /** stops accepting, lets in-flight requests finish (up to `graceMs`), closes the database */
  close(options?: { graceMs?: number }): Promise<void>
}

/** Where the server prints the few lines a person starting it needs to see. */
export type Print = (line: string) => void

function describeDatabase(config: Config): string {
  if (!config.databaseUrl) return `embedded PostgreSQL in ${join(config.dataDir, 'postgres')}`
  return `PostgreSQL at ${safeDatabaseUrl(config.databaseUrl)}`
}

/**
 * Starts gitpg: reads the configuration, opens the database (embedded when `DATABASE_URL` is
 * not set), applies migrations, listens, and prints where, which database, and (on first start
 * only) the generated API key.
 *
 * @example
 * const server = await startServer({ env: process.env, cwd: process.cwd() })
 * process.on('SIGTERM', () => server.close())
 */
export async function startServer({
  env,
  cwd,
  print = (line) => process.stdout.write(`${line}\n`),
  logDestination,
}: {
  env: NodeJS.ProcessEnv
  cwd: string
  print?: Print
  logDestination?: DestinationStream
}): Promise<RunningServer> {
  const config = loadConfig({ env, cwd })
  const logger = createLogger({ level: config.logLevel, destination: logDestination })
  const key = await resolveApiKey({ configured: config.apiKey, dataDir: config.dataDir })

  let embedded: EmbeddedPostgres | null = null
  let db: Database | null = null
  try {
    if (!config.databaseUrl) embedded = await startEmbeddedPostgres({ dataDir: config.dataDir })
    db = openDatabase(config, embedded)
    const applied = await runMigrations(db)
    if (applied.length > 0) logger.info({ applied }, 'migrations applied')
  } catch (err) {
    await db?.close().catch(() => {})
    await embedded?.close().catch(() => {})
    throw databaseError(err, config)
  }

  const notifier = new FeedNotifier({
    connectionString: embedded?.connectionString ?? config.databaseUrl,
  })
  await notifier.start()
  const compactor = new FeedCompactor({
    db,
    retentionSeconds: config.feedRetentionSeconds,
    logger,
  })
  compactor.start()
  startInflateWorker()
  applyHeapGrowth(config.heapGrowthPercent)
  const budget = splitCacheBudget(config.cacheBytes)
  // rename detection's caches are the process's own: the last server started sets their share
  SpanCache.shared.resize(budget.fingerprints)
  SizeCache.shared.resize(budget.sizes)
  const store = createStore(db, { basesBytes: budget.bases, packsBytes: budget.packs })
  const maintenance = new MaintenanceJob({
    store,
    logger,
    intervalMs: config.maintenanceIntervalSeconds * 1000,
    pruneExpire: config.pruneExpire,
    batchSize: config.maintenanceBatch,
    pauseMs: config.maintenancePauseMs,
  })
  maintenance.start()
  const app = createApp({
    store,
    notifier,
    db,
    config: {
      apiKey: key.key,
      bodyLimit: config.bodyLimit,
      maxInflightBytes: config.maxInflightBytes,
      readLimits: {
        batchMaxBytes: config.batchMaxBytes,
        batchMaxPaths: config.batchMaxPaths,
        listMaxFiles: config.listMaxFiles,
      },
      githubToken: config.githubToken ?? undefined,
      githubUrl: config.githubUrl,
      diffMaxLines: config.diffMaxLines,
      diffMaxSteps: config.diffMaxSteps,
      maxObjectSize: config.maxObjectSize,
      maxHaves: config.maxHaves,
      patchMaxBytes: config.patchMaxBytes,
      corsOrigins: config.corsOrigins,
      keyCacheTtlMs: config.keyCacheTtlSeconds * 1000,
      mcpMaxChars: config.mcpMaxChars,
      mcpMaxBatch: config.mcpMaxBatch,
      grepLimits: { timeoutMs: config.grepTimeoutSeconds * 1000, maxBytes: config.grepMaxBytes },
      grepMaxLimit: config.grepMaxLimit,
      grepListingBytes: budget.listings,
      renameLimit: config.renameLimit,
      renameMaxBytes: config.renameMaxBytes,
      renameMaxSteps: config.renameMaxSteps,
      blameLimits: config.blameLimits,
      maintenance: {
        batchSize: config.maintenanceBatch,
        pauseMs: config.maintenancePauseMs,
        pruneExpire: config.pruneExpire,
      },
    },
    logger,
    cache: new ObjectCache({ maxBytes: budget.objects }),
  })

  let server: Server
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
        resolve(s as Server),
      ) as Server
      s.once('error', reject)
    })
  } catch (err) {
    await maintenance.close()
    await compactor.close()
    await notifier.close()
    await db.close()
    await embedded?.close()
    throw listenError(err, config)
  }
  const { port } = server.address() as AddressInfo
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${hostForUrl}:${port}`

  print(`gitpg listening on ${url}`)
  print(`database: ${describeDatabase(config)}`)
  if (key.generated) {
    print(`API key (generated now, saved in ${key.file}; send it as X-Internal-API-Key):`)
    print(`  ${key.key}`)
  } else if (key.file) {
    print(`API key: saved in ${key.file}`)
  }

  let closing: Promise<void> | null = null
  const database = db
  return {
    url,
    port,
    config,
    apiKey: key.key,
    http: server,
    close({ graceMs = 10_000 } = {}) {
      closing ??= (async () => {
        // the background run stops at once (between two batches), not after the requests drain
        const stopping = maintenance.close()
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            server.closeAllConnections()
            resolve()
          }, graceMs)
          // keep-alive connections turn idle as their last response is sent: close them then
          const idle = setInterval(() => server.closeIdleConnections(), 50)
          server.close(() => {
            clearTimeout(timer)
            clearInterval(idle)
            resolve()
          })
          server.closeIdleConnections()
        })
        try {
          await stopping
          await compactor.close()
          await notifier.close()
          await database.close()
        } finally {
          // whatever failed above, the embedded database is given back (the last user stops it)
          await embedded?.close()
        }
        logger.info('stopped')
      })()
      return closing
    },
  }
}
