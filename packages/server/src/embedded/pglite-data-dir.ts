import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError } from '../config.ts'

/**
 * Earlier gitpg versions kept the embedded database in `<dataDir>/pgdata` with PGlite, whose files
 * a PostgreSQL server cannot open. gitpg does not read them: it refuses to start and says how to
 * move the projects over.
 */
export async function refusePgliteDataDir(dataDir: string): Promise<void> {
  const old = join(dataDir, 'pgdata')
  const found = await stat(join(old, 'PG_VERSION')).then(
    () => true,
    () => false,
  )
  if (!found) return
  throw new ConfigError(
    `${old} holds a database of an earlier gitpg (PGlite), which this version cannot open: with the earlier version run \`gitpg export <project> <dir> --bare\` for each project, move ${old} away, then run \`gitpg import <dir> --project <project>\` with this one (see "Embedded database" in the README)`,
  )
}
