import { Database, PostgresStore } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { API_KEY, createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t?.close())

describe('projects routes', () => {
  it('GET /health answers without a key', async () => {
    const res = await t.callJson('GET', '/health', { key: null })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok', database: 'up' })
  })

  it('every other route needs the key', async () => {
    for (const [method, path] of [
      ['GET', '/projects/p'],
      ['PUT', '/projects/p'],
      ['GET', '/files/p'],
      ['GET', '/openapi.json'],
      ['GET', '/no/such/route'],
    ]) {
      const missing = await t.callJson(method, path, { key: null })
      expect(missing.status).toBe(401)
      expect(missing.body.error.code).toBe('UNAUTHORIZED')
      const wrong = await t.callJson(method, path, { key: `${API_KEY}x` })
      expect(wrong.status).toBe(401)
    }
    expect((await t.call('GET', '/projects/p', { key: null })).status).toBe(401)
  })

  it('PUT creates (201), then answers 200 for an existing project', async () => {
    const created = await t.callJson('PUT', '/projects/alpha', { json: { defaultBranch: 'trunk' } })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({ id: 'alpha', defaultBranch: 'trunk', head: null, remote: null })
    const again = await t.callJson('PUT', '/projects/alpha')
    expect(again.status).toBe(200)
    expect(again.body.defaultBranch).toBe('trunk')
  })

  it('PUT without a body uses main', async () => {
    const res = await t.callJson('PUT', '/projects/beta')
    expect(res.status).toBe(201)
    expect(res.body.defaultBranch).toBe('main')
  })

  it('GET describes the project with its head', async () => {
    await t.callJson('PUT', '/projects/gamma')
    const commit = await t.callJson('PUT', '/files/gamma/a.txt', { body: 'a\n' })
    const res = await t.callJson('GET', '/projects/gamma')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      id: 'gamma',
      defaultBranch: 'main',
      head: commit.body.commit,
      remote: null,
    })
  })

  it('GET of an unknown project is 404 PROJECT_NOT_FOUND', async () => {
    const res = await t.callJson('GET', '/projects/nope')
    expect(res.status).toBe(404)
    expect(res.body.error).toMatchObject({ code: 'PROJECT_NOT_FOUND', projectId: 'nope' })
  })

  it('DELETE removes the project and everything in it', async () => {
    await t.callJson('PUT', '/projects/doomed')
    await t.callJson('PUT', '/files/doomed/a.txt', { body: 'a' })
    await t.callJson('PUT', '/pending/doomed/ada/b.txt', { body: 'b' })
    const repoId = (await t.db.query('SELECT repo_id FROM repos WHERE name = $1', ['doomed']))
      .rows[0].repo_id
    const res = await t.call('DELETE', '/projects/doomed')
    expect(res.status).toBe(204)
    expect((await t.callJson('GET', '/projects/doomed')).status).toBe(404)
    for (const table of ['git_objects', 'git_refs', 'pending_changes']) {
      const { rows } = await t.db.query(
        `SELECT count(*)::int AS n FROM ${table} WHERE repo_id = $1`,
        [repoId],
      )
      expect(rows[0].n, table).toBe(0)
    }
    expect((await t.callJson('DELETE', '/projects/doomed')).status).toBe(404)
  })

  it('GET /openapi.json describes every route', async () => {
    const res = await t.callJson('GET', '/openapi.json')
    expect(res.status).toBe(200)
    const paths = Object.keys(res.body.paths)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/health',
        '/projects/{projectId}',
        '/files/{projectId}',
        '/files/{projectId}/batch',
        '/files/{projectId}/{path}',
        '/pending/{projectId}/{userId}',
        '/pending/{projectId}/{userId}/{path}',
        '/pending/{projectId}/{userId}/delete/{path}',
        '/projects/{projectId}/commits',
        '/projects/{projectId}/commits/{oid}',
        '/projects/{projectId}/log',
        '/projects/{projectId}/diff',
        '/projects/{projectId}/branches',
        '/projects/{projectId}/branches/{name}',
        '/projects/{projectId}/changes',
        '/projects/{projectId}/export.bundle',
      ]),
    )
    expect(Object.keys(res.body.paths['/pending/{projectId}/{userId}/{path}'])).toEqual(
      expect.arrayContaining(['put', 'get', 'delete']),
    )
    expect(res.body.components.securitySchemes.apiKey.name).toBe('X-Internal-API-Key')
  })

  it('unknown routes are 404 NOT_FOUND in the error shape', async () => {
    const res = await t.callJson('GET', '/nothing/here')
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('NOT_FOUND')
  })

  it('answers with a request id', async () => {
    const res = await t.call('GET', '/health', { headers: { 'X-Request-Id': 'abc-123' } })
    expect(res.headers.get('x-request-id')).toBe('abc-123')
  })
})

describe('database down', () => {
  it('health is 503 and routes answer DATABASE_UNAVAILABLE without details', async () => {
    const db = new Database({ connectionString: 'postgres://postgres@127.0.0.1:1/none' })
    try {
      const app = createApp({ store: new PostgresStore({ db }), db, config: { apiKey: API_KEY } })
      const health = await app.request('/health')
      expect(health.status).toBe(503)
      expect(await health.json()).toEqual({
        error: { code: 'DATABASE_UNAVAILABLE', message: 'the database is not reachable' },
      })
      const res = await app.request('/projects/p', { headers: { 'X-Internal-API-Key': API_KEY } })
      expect(res.status).toBe(503)
      expect(await res.json()).toEqual({
        error: { code: 'DATABASE_UNAVAILABLE', message: 'the database is not reachable' },
      })
    } finally {
      await db.close()
    }
  })
})
