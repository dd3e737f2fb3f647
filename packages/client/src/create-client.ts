import type { Health } from './api-types.ts'
import { changesApi } from './resources/changes.ts'
import { filesApi } from './resources/files.ts'
import { historyApi } from './resources/history.ts'
import { keysApi } from './resources/keys.ts'
import { pendingApi } from './resources/pending.ts'
import { projectsApi } from './resources/projects.ts'
import { branchesApi, tagsApi } from './resources/refs.ts'
import { syncApi } from './resources/sync.ts'
import { Transport, type ClientOptions } from './transport.ts'

/**
 * A client for a gitpg server: one method per route, typed from the server's OpenAPI document.
 * Failures are thrown as `GitpgError` with the server's `code` and HTTP `status`. Uses only
 * `fetch`, `ReadableStream` and `TextDecoder`, so it runs in Node 20+ and in browsers.
 *
 * @example
 * const gitpg = createClient({ baseUrl: 'http://127.0.0.1:3001', apiKey: process.env.GITPG_API_KEY })
 * await gitpg.projects.create('docs')
 * await gitpg.pending.save({ project: 'docs', userId: 'ada', path: 'intro.md', content: '# Hi\n' })
 * await gitpg.commits.create({
 *   project: 'docs', userId: 'ada', message: 'Add intro', author: { name: 'Ada', email: 'ada@example.com' },
 * })
 * const text = new TextDecoder().decode(await gitpg.files.read({ project: 'docs', path: 'intro.md' }))
 */
export function createClient(options: ClientOptions) {
  const t = new Transport(options)
  return {
    /** `{ status: 'ok', database: 'up' }`; `DATABASE_UNAVAILABLE` (503) otherwise. */
    health: (): Promise<Health> => t.json({ method: 'GET', path: '/health' }),
    projects: projectsApi(t),
    files: filesApi(t),
    pending: pendingApi(t),
    ...historyApi(t),
    branches: branchesApi(t),
    tags: tagsApi(t),
    ...syncApi(t),
    changes: changesApi(t),
    keys: keysApi(t),
  }
}

/** The client `createClient` returns. */
export type GitpgClient = ReturnType<typeof createClient>
