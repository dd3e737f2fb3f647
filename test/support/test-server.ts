import { join } from 'node:path'
import { startServer, type RunningServer } from '@gitpg/server'

/**
 * A real gitpg server on a free loopback port, quiet, with a fixed API key; over `databaseUrl`,
 * or the embedded database in `tmp/data` when it is omitted; `env` adds or overrides settings.
 */
export function startTestServer({
  tmp,
  apiKey,
  databaseUrl,
  env = {},
}: {
  tmp: string
  apiKey: string
  databaseUrl?: string
  env?: Record<string, string>
}): Promise<RunningServer> {
  return startServer({
    env: {
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      PORT: '0',
      HOST: '127.0.0.1',
      GITPG_API_KEY: apiKey,
      GITPG_DATA_DIR: join(tmp, 'data'),
      GITPG_LOG_LEVEL: 'silent',
      // a background maintenance pass would repack a test's objects under it: tests ask for one
      GITPG_MAINTENANCE_INTERVAL: '0',
      ...env,
    },
    cwd: tmp,
    print: () => {},
  })
}

/** `http://git:<key>@host/git/<project>.git`: the URL stock git clones and pushes with. */
export const gitRemote = (server: RunningServer, apiKey: string, project: string) =>
  `${server.url.replace('http://', `http://git:${apiKey}@`)}/git/${project}.git`
