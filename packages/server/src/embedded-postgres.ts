import { mkdir, open, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { Database } from '@gitpg/git-pg-fs'
import { ConfigError, type Config } from './config.ts'

export interface EmbeddedPostgres {
  /** a `pg` connection string to the embedded database on a loopback port */
  connectionString: string
  /** where its data lives */
  dataDir: string
  close(): Promise<void>
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** One process at a time may open the data dir: PGlite is a single-process database. */
async function lock(file: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      return () => rm(file, { force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim())
      if (pid && alive(pid))
        throw new ConfigError(
          `the embedded database in ${file.replace(/\.lock$/, '')} is in use by process ${pid}`,
        )
      await rm(file, { force: true })
    }
  }
  throw new ConfigError(`cannot lock ${file}`)
}

/**
 * Starts PGlite (Postgres compiled to WebAssembly) with its data in `<dataDir>/pgdata`, served
 * over the Postgres wire protocol on a loopback port so the server's `pg` code runs unchanged.
 * PGlite runs one statement at a time; the socket server takes a single connection, so the
 * pool must have `max: 1` (transactions then never interleave).
 *
 * @example
 * const pg = await startEmbeddedPostgres({ dataDir: '.gitpg' })
 * const db = openDatabase(config, pg)
 */
export async function startEmbeddedPostgres({
  dataDir,
}: {
  dataDir: string
}): Promise<EmbeddedPostgres> {
  const pgdata = join(dataDir, 'pgdata')
  await mkdir(dataDir, { recursive: true })
  const unlock = await lock(`${pgdata}.lock`)
  try {
    const db = await PGlite.create(pgdata)
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 })
    await server.start()
    return {
      connectionString: `postgres://postgres@${server.getServerConn()}/postgres`,
      dataDir: pgdata,
      async close() {
        await server.stop()
        await db.close()
        await unlock()
      },
    }
  } catch (err) {
    await unlock()
    throw err
  }
}

/**
 * The pool over `DATABASE_URL` with the configured session settings, or over the embedded
 * database: one connection (PGlite runs one session), no `COPY` and no prepared statements, and
 * PGlite's own settings.
 *
 * @example
 * const db = openDatabase(config, config.databaseUrl ? null : await startEmbeddedPostgres(config))
 */
export function openDatabase(config: Config, embedded: EmbeddedPostgres | null): Database {
  return embedded
    ? new Database({
        connectionString: embedded.connectionString,
        max: 1,
        copy: false,
        prepare: false,
        backendFlushAfter: null,
      })
    : new Database({
        connectionString: config.databaseUrl!,
        backendFlushAfter: config.backendFlushAfter,
      })
}
