import type { Config } from './config.ts'

const code = (err: unknown) => (err as { code?: unknown })?.code

/** A database URL without its password, for messages. */
export function safeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.password = ''
    return parsed.toString()
  } catch {
    return 'DATABASE_URL'
  }
}

const DATABASE_HINTS: Record<string, (where: string) => string> = {
  ECONNREFUSED: (where) =>
    `nothing answers at ${where}: start PostgreSQL there, or set DATABASE_URL to where it runs (unset, gitpg runs its embedded PostgreSQL)`,
  ENOTFOUND: (where) => `the host of ${where} is unknown: check DATABASE_URL`,
  ETIMEDOUT: (where) => `${where} does not answer: check DATABASE_URL and the network`,
  '28P01': (where) => `PostgreSQL at ${where} refused the password: check DATABASE_URL`,
  '28000': (where) => `PostgreSQL at ${where} refused the user: check DATABASE_URL`,
  '3D000': (where) =>
    `the database of ${where} does not exist: create it (createdb) or fix DATABASE_URL`,
}

/**
 * The error to show when the database cannot be opened at start: says it is the database, where,
 * and what to change. Other errors are returned as they are.
 *
 * @example
 * await runMigrations(db).catch((err) => { throw databaseError(err, config) })
 */
export function databaseError(err: unknown, config: Config): unknown {
  const hint = DATABASE_HINTS[String(code(err))]
  if (!hint || !config.databaseUrl) return err
  const detail = err instanceof Error ? err.message : String(err)
  return new Error(
    `cannot use the database: ${hint(safeDatabaseUrl(config.databaseUrl))} (${detail})`,
    {
      cause: err,
    },
  )
}

/**
 * The error to show when the server cannot listen: a port in use or not allowed names `PORT`
 * (and `HOST` for an address that is not this machine's).
 */
export function listenError(err: unknown, config: Config): unknown {
  const where = `${config.host}:${config.port}`
  const detail = err instanceof Error ? err.message : String(err)
  switch (code(err)) {
    case 'EADDRINUSE':
      return new Error(
        `port ${config.port} is in use (${where}), maybe by another gitpg: stop it, or set PORT to a free port (PORT=0 picks one)`,
        { cause: err },
      )
    case 'EACCES':
      return new Error(`not allowed to listen on ${where}: set PORT to 1024 or above (${detail})`, {
        cause: err,
      })
    case 'EADDRNOTAVAIL':
      return new Error(
        `${config.host} is not an address of this machine: set HOST (default 127.0.0.1; 0.0.0.0 for every interface)`,
        { cause: err },
      )
    default:
      return err
  }
}
