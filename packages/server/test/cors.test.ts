import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './support/test-app.ts'

const ORIGIN = 'https://editor.example.com'
let on: TestApp
let off: TestApp

beforeAll(async () => {
  on = await createTestApp({ config: { corsOrigins: [ORIGIN, 'http://localhost:5173'] } })
  off = await createTestApp()
  expect((await on.call('PUT', '/projects/docs')).status).toBe(201)
  expect((await on.call('PUT', '/files/docs/a.md', { body: 'a\n' })).status).toBe(201)
})
afterAll(async () => {
  await on?.close()
  await off?.close()
})

const preflight = (t: TestApp, origin: string) =>
  t.call('OPTIONS', '/files/docs/a.md', {
    key: null,
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'PUT',
      'Access-Control-Request-Headers': 'x-internal-api-key, content-type, if-match',
    },
  })

describe('CORS (GITPG_CORS_ORIGINS)', () => {
  it('answers a preflight from a listed origin without a key', async () => {
    const res = await preflight(on, ORIGIN)
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT')
    const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase()
    for (const h of ['x-internal-api-key', 'authorization', 'content-type', 'if-match'])
      expect(allowed).toContain(h)
  })

  it('gives an origin that is not listed no CORS headers', async () => {
    const res = await preflight(on, 'https://evil.example.com')
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    const get = await on.call('GET', '/files/docs/a.md', {
      headers: { Origin: 'https://evil.example.com' },
    })
    expect(get.status).toBe(200)
    expect(get.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('lets a page read the documented headers, and the error of a request without a key', async () => {
    const res = await on.call('GET', '/files/docs/a.md', { headers: { Origin: ORIGIN } })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    const exposed = res.headers.get('access-control-expose-headers')!.toLowerCase().split(/,\s*/)
    expect(exposed).toEqual(expect.arrayContaining(['etag', 'x-gitpg-pending', 'x-request-id']))
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{40}"$/)
    const denied = await on.call('GET', '/files/docs/a.md', {
      key: null,
      headers: { Origin: ORIGIN },
    })
    expect(denied.status).toBe(401)
    expect(denied.headers.get('access-control-allow-origin')).toBe(ORIGIN)
  })

  it('allows any origin with *', async () => {
    const any = await createTestApp({ config: { corsOrigins: ['*'] } })
    try {
      const res = await preflight(any, 'https://anywhere.example.org')
      expect([res.status, res.headers.get('access-control-allow-origin')]).toEqual([204, '*'])
    } finally {
      await any.close()
    }
  })

  it('is off by default: no CORS headers, and OPTIONS needs a key like any request', async () => {
    const res = await preflight(off, ORIGIN)
    expect(res.status).toBe(401)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
})
