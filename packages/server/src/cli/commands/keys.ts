import { parseArgs } from 'node:util'
import type { Command } from '../commands.ts'
import { createKey, keyInfo, parseExpiry, revokeKey, type KeyInfo } from '../../domain/api-keys.ts'
import { ProjectId } from '../../routes/schemas.ts'
import { KEY_SCOPES, type KeyScope } from '../../store/key-store.ts'
import { PostgresKeyStore } from '../../store/postgres/postgres-key-store.ts'
import { withSyncSession } from './sync-session.ts'

const USAGE = `Usage: gitpg keys create --project <id> [--project <id>...] --scope read|write|admin [--expires <d>]
       gitpg keys list
       gitpg keys revoke <key-id>

Keys limited to projects and a scope, for apps and agents that must not hold the admin key
(GITPG_API_KEY). A scoped key is sent like the admin key (X-Internal-API-Key, Authorization:
Bearer, or as the git password). Only its hash is stored: create prints the key this once.
  --project <id>   a project the key may use (repeat for more)
  --scope <s>      read: reads, history, grep, blame, clone and fetch, the change feed
                   write: also pending changes, commits, branches, push and pull
                   admin: everything on those projects (create, delete, import)
  --expires <d>    a duration (90m, 12h, 30d) or a date (2027-01-31, 2027-01-31T12:00:00Z)
A revoked key is refused by every server within GITPG_KEY_CACHE_TTL (default 10s).`

const line = (k: KeyInfo) =>
  [
    k.id,
    k.scope.padEnd(5),
    k.projects.join(','),
    k.revokedAt ? `revoked ${k.revokedAt}` : k.expiresAt ? `expires ${k.expiresAt}` : 'no expiry',
  ].join('  ')

async function run(args: string[]): Promise<number> {
  const [action, ...rest] = args
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      project: { type: 'string', multiple: true },
      scope: { type: 'string' },
      expires: { type: 'string' },
    },
  })
  if (action === 'create') {
    if (positionals.length > 0) throw new Error(`unexpected argument ${positionals[0]}`)
    const projects = values.project ?? []
    if (projects.length === 0) throw new Error('--project is required (see --help)')
    for (const project of projects)
      if (!ProjectId.safeParse(project).success)
        throw new Error(
          `--project ${JSON.stringify(project)}: letters, digits, ".", "_" and "-", at most 100`,
        )
    const scope = values.scope as KeyScope
    if (!KEY_SCOPES.includes(scope)) throw new Error('--scope must be read, write or admin')
    const expiresAt = values.expires === undefined ? null : parseExpiry(values.expires)
    if (expiresAt === null && values.expires !== undefined)
      throw new Error(`--expires must be a duration such as 30d or a date, not ${values.expires}`)
    const { key, info } = await withSyncSession(({ db }) =>
      createKey({ keys: new PostgresKeyStore({ executor: db }), projects, scope, expiresAt }),
    )
    process.stdout.write(`${line(info)}\n${key}\n`)
    process.stderr.write('This is the only time the key is shown: store it now.\n')
    return 0
  }
  if (action === 'list') {
    const keys = await withSyncSession(({ db }) => new PostgresKeyStore({ executor: db }).list())
    for (const k of keys) process.stdout.write(`${line(keyInfo(k))}\n`)
    return 0
  }
  if (action === 'revoke') {
    if (positionals.length !== 1) throw new Error('expected exactly one key id (see --help)')
    const info = await withSyncSession(({ db }) =>
      revokeKey({ keys: new PostgresKeyStore({ executor: db }), id: positionals[0] }),
    )
    process.stdout.write(`${line(info)}\n`)
    return 0
  }
  throw new Error('expected create, list or revoke (see --help)')
}

/** `gitpg keys create|list|revoke`: scoped keys, in the database the server uses. */
export const keysCommand: Command = {
  name: 'keys',
  summary: 'create, list and revoke keys scoped to projects',
  usage: USAGE,
  run,
}
