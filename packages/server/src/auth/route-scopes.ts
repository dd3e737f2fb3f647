import type { KeyScope } from '../store/key-store.ts'

/**
 * What a request needs: nothing (`open`), any valid key (`key`), the configured key itself
 * (`admin-key`), or a scope on one project.
 */
export type Requirement =
  { need: 'open' } | { need: 'key' } | { need: 'admin-key' } | { need: KeyScope; project: string }

type Need = Requirement['need']

interface Rule {
  methods: readonly string[] | '*'
  /** the first capture group, when there is one, is the project id */
  path: RegExp
  need: Need | ((query: URLSearchParams) => Need)
  why: string
}

const READS = ['GET', 'HEAD']
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE']
const GIT = String.raw`^/git/([^/]+?)(?:\.git)?`
const PROJECT = String.raw`^/(?:projects|files|pending)/([^/]+)(?:/|$)`

/**
 * The scope decision of every route, first match wins. The last two rules decide every route of
 * a project by its method — reading is `read`, anything else `write` — so a new route under
 * `/projects/:id`, `/files/:id` or `/pending/:id` is decided when it lands; the rules above them
 * are the exceptions (a read sent as POST, a project's own settings). A path no rule matches needs
 * the configured key. `test/route-scopes.test.ts` checks every route of `/openapi.json` against
 * its expected scope.
 */
export const SCOPE_RULES: readonly Rule[] = [
  { methods: '*', path: /^\/health$/, need: 'open', why: 'health checks carry no key' },
  { methods: READS, path: /^\/openapi\.json$/, need: 'key', why: 'the API description' },
  { methods: '*', path: /^\/mcp$/, need: 'key', why: 'each tool call is scoped as a request' },
  { methods: '*', path: /^\/keys(?:\/|$)/, need: 'admin-key', why: 'keys make keys' },
  {
    methods: ['PUT', 'PATCH', 'DELETE'],
    path: /^\/projects\/([^/]+)$/,
    need: 'admin',
    why: 'create, configure or delete the project',
  },
  {
    methods: ['POST'],
    path: /^\/projects\/([^/]+)\/import$/,
    need: 'admin',
    why: 'an import replaces the project from a remote',
  },
  {
    methods: ['POST'],
    path: /^\/projects\/([^/]+)\/maintenance$/,
    need: 'admin',
    why: 'maintenance removes unreachable objects for good',
  },
  { methods: ['POST'], path: /^\/files\/([^/]+)\/batch$/, need: 'read', why: 'a batch read' },
  {
    methods: ['GET'],
    path: new RegExp(`${GIT}/info/refs$`),
    need: (q) => (q.get('service') === 'git-upload-pack' ? 'read' : 'write'),
    why: 'the ref advertisement of clone/fetch (read) or push (write)',
  },
  {
    methods: ['POST'],
    path: new RegExp(`${GIT}/git-upload-pack$`),
    need: 'read',
    why: 'clone, fetch',
  },
  {
    methods: ['POST'],
    path: new RegExp(`${GIT}/git-receive-pack$`),
    need: 'write',
    why: 'push',
  },
  { methods: READS, path: new RegExp(PROJECT), need: 'read', why: 'reading a project' },
  { methods: WRITES, path: new RegExp(PROJECT), need: 'write', why: 'changing a project' },
]

/**
 * The requirement of a request, or null when no rule knows it (only the configured key passes).
 *
 * @example
 * requirementOf('GET', '/projects/docs/log', new URLSearchParams()) // { need: 'read', project: 'docs' }
 */
export function requirementOf(
  method: string,
  path: string,
  query: URLSearchParams,
): Requirement | null {
  for (const rule of SCOPE_RULES) {
    if (rule.methods !== '*' && !rule.methods.includes(method)) continue
    const m = rule.path.exec(path)
    if (!m) continue
    const need = typeof rule.need === 'function' ? rule.need(query) : rule.need
    if (need === 'open' || need === 'key' || need === 'admin-key') return { need }
    const project = decodeSegment(m[1])
    return project === null ? null : { need, project }
  }
  return null
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}
