import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requirementOf, type Requirement } from '../src/auth/route-scopes.ts'
import { openapiRoutes, samplePath, type ApiRoute } from './support/route-samples.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

type Need = Requirement['need']

/**
 * The scope decision of every route: a route added to `/openapi.json` fails the first test until
 * it is listed here, so none lands without someone deciding what a scoped key needs for it.
 */
const EXPECTED: Record<string, Need> = {
  'GET /health': 'open',
  'PUT /projects/{projectId}': 'admin',
  'GET /projects/{projectId}': 'read',
  'DELETE /projects/{projectId}': 'admin',
  'GET /files/{projectId}': 'read',
  'POST /files/{projectId}/batch': 'read',
  'GET /files/{projectId}/{path}': 'read',
  'PUT /files/{projectId}/{path}': 'write',
  'DELETE /files/{projectId}/{path}': 'write',
  'GET /pending/{projectId}/{userId}': 'read',
  'DELETE /pending/{projectId}/{userId}': 'write',
  'POST /pending/{projectId}/{userId}/delete/{path}': 'write',
  'PUT /pending/{projectId}/{userId}/{path}': 'write',
  'GET /pending/{projectId}/{userId}/{path}': 'read',
  'DELETE /pending/{projectId}/{userId}/{path}': 'write',
  'POST /projects/{projectId}/commits': 'write',
  'GET /projects/{projectId}/log': 'read',
  'GET /projects/{projectId}/commits/{oid}': 'read',
  'GET /projects/{projectId}/diff': 'read',
  'GET /projects/{projectId}/branches': 'read',
  'POST /projects/{projectId}/branches': 'write',
  'DELETE /projects/{projectId}/branches/{name}': 'write',
  'POST /projects/{projectId}/import': 'admin',
  'POST /projects/{projectId}/pull': 'write',
  'POST /projects/{projectId}/push': 'write',
  'GET /projects/{projectId}/export.bundle': 'read',
  'GET /projects/{projectId}/changes': 'read',
  'POST /keys': 'admin-key',
  'GET /keys': 'admin-key',
  'DELETE /keys/{id}': 'admin-key',
  // routes being added elsewhere: decided by the rules already
  'GET /projects/{projectId}/grep': 'read',
  'GET /projects/{projectId}/blame/{path}': 'read',
  'GET /projects/{projectId}/tags': 'read',
  'POST /projects/{projectId}/tags': 'write',
  'DELETE /projects/{projectId}/tags/{name}': 'write',
  'PATCH /projects/{projectId}': 'admin',
  'GET /pending/{projectId}/{userId}/diff': 'read',
  'GET /projects/{projectId}/storage': 'read',
  'POST /projects/{projectId}/maintenance': 'admin',
}

const key = ({ method, template }: ApiRoute) => `${method} ${template}`
const need = (method: string, path: string, query = '') =>
  requirementOf(method, path, new URLSearchParams(query))?.need ?? null

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t?.close())

describe('SCOPE_RULES', () => {
  it('decides every route of /openapi.json as listed', async () => {
    const routes = await openapiRoutes(t)
    expect(routes.length).toBeGreaterThan(25)
    const undecided = routes.filter((r) => EXPECTED[key(r)] === undefined).map(key)
    expect(undecided, 'list these routes in EXPECTED with the scope they need').toEqual([])
    for (const r of routes)
      expect([key(r), need(r.method, samplePath(r.template))]).toEqual([key(r), EXPECTED[key(r)]])
  })

  it('decides the routes other work adds by the same rules', () => {
    for (const [route, expected] of Object.entries(EXPECTED)) {
      const [method, template] = route.split(' ')
      expect([route, need(method, samplePath(template))]).toEqual([route, expected])
    }
  })

  it('names the project of a project route, decoded', () => {
    expect(requirementOf('GET', '/files/my%2Ddocs/a.md', new URLSearchParams())).toEqual({
      need: 'read',
      project: 'my-docs',
    })
    expect(requirementOf('GET', '/git/p1.git/info/refs', new URLSearchParams())).toMatchObject({
      project: 'p1',
    })
  })

  it('reads git clone and fetch as read, push as write', () => {
    expect(need('GET', '/git/p1.git/info/refs', 'service=git-upload-pack')).toBe('read')
    expect(need('GET', '/git/p1/info/refs', 'service=git-upload-pack')).toBe('read')
    expect(need('GET', '/git/p1.git/info/refs', 'service=git-receive-pack')).toBe('write')
    expect(need('GET', '/git/p1.git/info/refs')).toBe('write')
    expect(need('POST', '/git/p1.git/git-upload-pack')).toBe('read')
    expect(need('POST', '/git/p1.git/git-receive-pack')).toBe('write')
  })

  it('lets any key reach /mcp and /openapi.json, and no rule decides an unknown path', () => {
    expect(need('POST', '/mcp')).toBe('key')
    expect(need('GET', '/mcp')).toBe('key')
    expect(need('GET', '/openapi.json')).toBe('key')
    expect(need('GET', '/nowhere')).toBeNull()
    expect(need('OPTIONS', '/files/p1')).toBeNull()
    expect(need('GET', '/git/p1.git/objects/info/packs')).toBeNull()
  })
})
