import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requirementOf } from '../src/auth/route-scopes.ts'
import { hashKey } from '../src/domain/api-keys.ts'
import { PostgresKeyStore } from '../src/store/postgres/postgres-key-store.ts'
import { openapiRoutes, samplePath, type ApiRoute } from './support/route-samples.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

type KeyKind = 'adminKey' | 'read' | 'write' | 'admin' | 'otherProject' | 'expired' | 'revoked'
type Outcome = 'allowed' | 'hidden' | 'forbidden' | 'unauthorized'

const RANK = { read: 0, write: 1, admin: 2 } as const

/** What a key of `kind` must get for a request needing `need` (on project p1). */
function expected(kind: KeyKind, need: string | null): Outcome {
  if (need === 'open' || kind === 'adminKey') return 'allowed'
  if (kind === 'expired' || kind === 'revoked') return 'unauthorized'
  if (need === null || need === 'admin-key') return 'forbidden'
  if (need === 'key') return 'allowed'
  if (kind === 'otherProject') return 'hidden'
  return RANK[kind] >= RANK[need as keyof typeof RANK] ? 'allowed' : 'forbidden'
}

async function outcome(res: Response): Promise<{ outcome: Outcome | 'other'; detail: string }> {
  const text = await res.text()
  const code = /"code":"([A-Z_]+)"/.exec(text)?.[1]
  const detail = `${res.status} ${code ?? text.slice(0, 80)}`
  if (res.status === 401)
    return { outcome: code === 'UNAUTHORIZED' ? 'unauthorized' : 'other', detail }
  if (res.status === 403) return { outcome: code === 'FORBIDDEN' ? 'forbidden' : 'other', detail }
  if (res.status === 404 && code === 'PROJECT_NOT_FOUND') return { outcome: 'hidden', detail }
  return { outcome: 'allowed', detail }
}

let t: TestApp
const keys: Record<KeyKind, string> = {} as Record<KeyKind, string>
let routes: ApiRoute[]

beforeAll(async () => {
  t = await createTestApp()
  keys.adminKey = 'test-api-key'
  for (const [kind, projects, scope] of [
    ['read', ['p1', 'p3'], 'read'],
    ['write', ['p1'], 'write'],
    ['admin', ['p1'], 'admin'],
    ['otherProject', ['p2'], 'admin'],
    ['revoked', ['p1'], 'admin'],
  ] as const) {
    const created = await t.callJson('POST', '/keys', { json: { projects, scope } })
    expect(created.status).toBe(201)
    keys[kind] = created.body.key
    if (kind === 'revoked')
      expect((await t.call('DELETE', `/keys/${created.body.id}`)).status).toBe(200)
  }
  keys.expired = 'gitpg_expired-key-for-the-matrix'
  await new PostgresKeyStore({ executor: t.db }).create({
    id: 'key_expired',
    hash: hashKey(keys.expired),
    projects: ['p1'],
    scope: 'admin',
    expiresAt: new Date(Date.now() - 1000),
  })
  routes = await openapiRoutes(t)
  expect((await t.call('PUT', '/projects/p1')).status).toBe(201)
  expect((await t.call('PUT', '/projects/p2')).status).toBe(201)
})
afterAll(() => t?.close())

const KINDS: KeyKind[] = [
  'read',
  'write',
  'admin',
  'otherProject',
  'expired',
  'revoked',
  'adminKey',
]
const GIT_ROUTES = [
  { method: 'GET', path: '/git/p1.git/info/refs?service=git-upload-pack' },
  { method: 'GET', path: '/git/p1.git/info/refs?service=git-receive-pack' },
  { method: 'POST', path: '/git/p1.git/git-upload-pack' },
  { method: 'POST', path: '/git/p1.git/git-receive-pack' },
]

describe('scoped keys on every route', () => {
  it('answer every route of /openapi.json as its scope rule says', async () => {
    const failures: string[] = []
    let checked = 0
    for (const route of routes) {
      const path = samplePath(route.template)
      const url = new URL(path, 'http://x')
      const need = requirementOf(route.method, url.pathname, url.searchParams)?.need ?? null
      for (const kind of KINDS) {
        const json = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined
        const res = await t.call(route.method, path, { key: keys[kind], json })
        const got = await outcome(res)
        const want = expected(kind, need)
        checked++
        if (got.outcome !== want)
          failures.push(
            `${route.method} ${route.template} with ${kind}: want ${want}, got ${got.detail}`,
          )
        // a deleted project comes back for the next case
        if (route.method === 'DELETE' && route.template === '/projects/{projectId}')
          await t.call('PUT', '/projects/p1')
      }
    }
    expect(failures).toEqual([])
    expect(checked).toBe(routes.length * KINDS.length)
  })

  it('answer git smart HTTP by scope: read clones and fetches, write pushes', async () => {
    const failures: string[] = []
    for (const { method, path } of GIT_ROUTES) {
      const url = new URL(path, 'http://x')
      const need = requirementOf(method, url.pathname, url.searchParams)?.need ?? null
      for (const kind of KINDS) {
        const basic = `Basic ${Buffer.from(`git:${keys[kind]}`).toString('base64')}`
        const res = await t.call(method, path, { key: null, headers: { Authorization: basic } })
        await res.arrayBuffer()
        const want = expected(kind, need)
        const got =
          res.status === 401
            ? 'unauthorized'
            : res.status === 403
              ? 'forbidden'
              : res.status === 404
                ? 'hidden'
                : 'allowed'
        if (got !== want)
          failures.push(`${method} ${path} with ${kind}: want ${want}, got ${res.status}`)
      }
    }
    expect(failures).toEqual([])
  })

  it('let any valid key reach /openapi.json and /mcp, and no expired or revoked one', async () => {
    const failures: string[] = []
    for (const [method, path] of [
      ['GET', '/openapi.json'],
      ['POST', '/mcp'],
    ]) {
      for (const kind of KINDS) {
        const json = method === 'POST' ? {} : undefined
        const got = await outcome(await t.call(method, path, { key: keys[kind], json }))
        const want = expected(kind, 'key')
        if (got.outcome !== want)
          failures.push(`${method} ${path} with ${kind}: want ${want}, got ${got.detail}`)
      }
    }
    expect(failures).toEqual([])
  })

  it('hide a project outside the key exactly like an unknown one', async () => {
    const hidden = await t.callJson('GET', '/projects/p1', { key: keys.otherProject })
    const unknown = await t.callJson('GET', '/projects/nope')
    expect(hidden.status).toBe(unknown.status)
    expect(hidden.body.error.code).toBe('PROJECT_NOT_FOUND')
    expect(hidden.body.error.message).toBe(unknown.body.error.message.replace('nope', 'p1'))
  })

  it('take the key as Bearer too, and refuse a wrong or missing one', async () => {
    const bearer = { Authorization: `Bearer ${keys.read}` }
    expect((await t.call('GET', '/projects/p1', { key: null, headers: bearer })).status).toBe(200)
    const wrong = await t.callJson('GET', '/projects/p1', { key: 'gitpg_nope' })
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'UNAUTHORIZED'])
    const none = await t.callJson('GET', '/projects/p1', { key: null })
    expect([none.status, none.body.error.code]).toEqual([401, 'UNAUTHORIZED'])
    const expired = await t.callJson('GET', '/projects/p1', { key: keys.expired })
    expect(expired.body.error.message).toMatch(/expired/)
    const revoked = await t.callJson('GET', '/projects/p1', { key: keys.revoked })
    expect(revoked.body.error.message).toMatch(/revoked/)
  })

  it('let an admin key create a project it covers, and nothing outside it', async () => {
    expect((await t.call('PUT', '/projects/p3', { key: keys.read })).status).toBe(403)
    const create = await t.callJson('POST', '/keys', { json: { projects: ['p4'], scope: 'admin' } })
    expect((await t.call('PUT', '/projects/p4', { key: create.body.key })).status).toBe(201)
    expect((await t.call('PUT', '/projects/p5', { key: create.body.key })).status).toBe(404)
    expect((await t.call('GET', '/projects/p5')).status).toBe(404)
  })
})
