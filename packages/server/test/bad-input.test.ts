import { PostgresStore, type Database } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { API_KEY, createTestApp, type CallOptions, type TestApp } from './support/test-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  await t.callJson('PUT', '/projects/p')
  await t.callJson('PUT', '/files/p/a.txt', { body: 'a' })
  await t.call('PUT', '/pending/p/ada/b.txt', { body: 'b' })
})
afterAll(async () => t?.close())

/** Everything a request could have changed, as one comparable value. */
async function snapshot(db: Database) {
  const q = async (sql: string) => (await db.query(sql)).rows
  return {
    repos: await q('SELECT repo_id, name, default_branch, remote FROM repos ORDER BY repo_id'),
    refs: await q('SELECT repo_id, name, oid, target FROM git_refs ORDER BY repo_id, name'),
    objects: await q(
      "SELECT count(*)::int AS n, md5(string_agg(encode(oid, 'hex'), '' ORDER BY oid)) FROM git_objects",
    ),
    pending: await q(
      'SELECT repo_id, user_id, path, action, content, version FROM pending_changes ORDER BY path',
    ),
  }
}

const long = `${'d/'.repeat(2100)}f.txt`
const author = { name: 'A', email: 'a@x' }
const commitBody = (extra: object) => ({ json: { userId: 'ada', message: 'm', author, ...extra } })

type Row = [string, string, CallOptions, number, string]

const rows: Row[] = [
  // paths
  ['PUT', '/files/p/a%2F..%2Fb.txt', { body: 'x' }, 400, 'INVALID_PATH'],
  ['PUT', '/files/p/%2Fetc%2Fpasswd', { body: 'x' }, 400, 'INVALID_PATH'],
  ['PUT', '/files/p/.git/config', { body: 'x' }, 400, 'INVALID_PATH'],
  ['PUT', '/files/p/sub/.GIT/hooks/pre-commit', { body: 'x' }, 400, 'INVALID_PATH'],
  ['PUT', '/files/p/a%00b', { body: 'x' }, 400, 'INVALID_PATH'],
  ['PUT', '/files/p/a%0Ab', { body: 'x' }, 400, 'INVALID_PATH'],
  ['PUT', '/files/p/a%1Fb', { body: 'x' }, 400, 'INVALID_PATH'],
  ['PUT', `/files/p/${long}`, { body: 'x' }, 400, 'INVALID_PATH'],
  ['GET', '/files/p/..%2Fa.txt', {}, 400, 'INVALID_PATH'],
  ['DELETE', '/files/p/.git%2FHEAD', {}, 400, 'INVALID_PATH'],
  ['PUT', '/pending/p/ada/..%2F..%2Fx', { body: 'x' }, 400, 'INVALID_PATH'],
  ['PUT', '/pending/p/ada/.git/x', { body: 'x' }, 400, 'INVALID_PATH'],
  ['POST', '/pending/p/ada/delete/.git', {}, 400, 'INVALID_PATH'],
  ['DELETE', '/pending/p/ada/a%00', {}, 400, 'INVALID_PATH'],
  ['POST', '/files/p/batch', { json: { paths: ['ok.txt', '../x'] } }, 400, 'INVALID_PATH'],
  ['POST', '/files/p/batch', { json: { paths: ['/abs'] } }, 400, 'INVALID_PATH'],
  ['POST', '/projects/p/commits', commitBody({ paths: ['.git/config'] }), 400, 'INVALID_PATH'],
  ['GET', '/projects/p/log?path=..%2Fx', {}, 400, 'INVALID_PATH'],
  ['GET', '/projects/p/diff?from=main&path=%2Fx', {}, 400, 'INVALID_PATH'],
  ['GET', '/files/p?prefix=..', {}, 400, 'INVALID_PATH'],
  // refs and branch names
  ['GET', '/files/p/a.txt?ref=main~1', {}, 400, 'INVALID_REF_NAME'],
  ['GET', '/files/p?ref=a..b', {}, 400, 'INVALID_REF_NAME'],
  ['GET', '/projects/p/log?ref=HEAD%5E', {}, 400, 'INVALID_REF_NAME'],
  ['GET', '/projects/p/diff?from=main&to=x%3Ay', {}, 400, 'INVALID_REF_NAME'],
  ['POST', '/projects/p/branches', { json: { name: 'has space' } }, 400, 'INVALID_REF_NAME'],
  ['POST', '/projects/p/branches', { json: { name: 'x.lock' } }, 400, 'INVALID_REF_NAME'],
  ['POST', '/projects/p/branches', { json: { name: '-rf' } }, 400, 'INVALID_REF_NAME'],
  ['POST', '/projects/p/branches', { json: { name: 'HEAD' } }, 400, 'INVALID_REF_NAME'],
  ['POST', '/projects/p/branches', { json: { name: 'a/.b' } }, 400, 'INVALID_REF_NAME'],
  [
    'POST',
    '/projects/p/branches',
    { json: { name: 'ok', from: 'a@{1}' } },
    400,
    'INVALID_REF_NAME',
  ],
  ['PUT', '/files/p/x.txt?branch=a..b', { body: 'x' }, 400, 'INVALID_REF_NAME'],
  ['POST', '/projects/p/commits', commitBody({ branch: 'bad branch' }), 400, 'INVALID_REF_NAME'],
  ['PUT', '/projects/q', { json: { defaultBranch: 'a b' } }, 400, 'INVALID_REF_NAME'],
  ['DELETE', '/projects/p/branches/a..b', {}, 400, 'INVALID_REF_NAME'],
  // unknown project, ref, cursor
  ['GET', '/files/ghost', {}, 404, 'PROJECT_NOT_FOUND'],
  ['GET', '/files/ghost/a.txt', {}, 404, 'PROJECT_NOT_FOUND'],
  ['POST', '/files/ghost/batch', { json: { paths: ['a'] } }, 404, 'PROJECT_NOT_FOUND'],
  ['PUT', '/files/ghost/a.txt', { body: 'x' }, 404, 'PROJECT_NOT_FOUND'],
  ['DELETE', '/files/ghost/a.txt', {}, 404, 'PROJECT_NOT_FOUND'],
  ['POST', '/projects/ghost/commits', commitBody({}), 404, 'PROJECT_NOT_FOUND'],
  ['GET', '/projects/ghost/log', {}, 404, 'PROJECT_NOT_FOUND'],
  ['GET', '/projects/ghost/commits/abcd', {}, 404, 'PROJECT_NOT_FOUND'],
  ['GET', '/projects/ghost/diff?from=main', {}, 404, 'PROJECT_NOT_FOUND'],
  ['GET', '/projects/ghost/branches', {}, 404, 'PROJECT_NOT_FOUND'],
  ['POST', '/projects/ghost/branches', { json: { name: 'x' } }, 404, 'PROJECT_NOT_FOUND'],
  ['DELETE', '/projects/ghost', {}, 404, 'PROJECT_NOT_FOUND'],
  ['GET', '/projects/p/log?cursor=bm9wZQ', {}, 400, 'INVALID_CURSOR'],
  ['DELETE', '/files/p/nothing.txt', {}, 404, 'PATH_NOT_FOUND'],
  [
    'POST',
    '/projects/p/commits',
    commitBody({ expectedHead: '0'.repeat(40) }),
    409,
    'REF_CONFLICT',
  ],
  [
    'POST',
    '/projects/p/commits',
    { json: { userId: 'nobody', message: 'm', author } },
    422,
    'NOTHING_TO_COMMIT',
  ],
  [
    'PUT',
    '/pending/p/ada/b.txt',
    { body: 'x', headers: { 'If-Match': '"999999"' } },
    412,
    'PRECONDITION_FAILED',
  ],
  // request shape
  ['PUT', '/projects/bad%20id', {}, 400, 'VALIDATION_FAILED'],
  ['PUT', '/projects/..', {}, 404, 'NOT_FOUND'],
  ['PUT', `/projects/${'x'.repeat(101)}`, {}, 400, 'VALIDATION_FAILED'],
  ['GET', '/pending/p/ada%01', {}, 400, 'VALIDATION_FAILED'],
  ['GET', '/files/p/a.txt?userId=a%2Fb', {}, 400, 'VALIDATION_FAILED'],
  ['POST', '/files/p/batch', { json: { paths: [] } }, 400, 'VALIDATION_FAILED'],
  [
    'POST',
    '/files/p/batch',
    { json: { paths: Array.from({ length: 10_001 }, (_, i) => `f${i}`) } },
    400,
    'TOO_MANY_PATHS',
  ],
  ['POST', '/files/p/batch', { json: { paths: 'a.txt' } }, 400, 'VALIDATION_FAILED'],
  [
    'POST',
    '/projects/p/commits',
    { json: { userId: 'ada', message: 'm' } },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'POST',
    '/projects/p/commits',
    commitBody({ author: { name: 'Eve <x>', email: 'e@x' } }),
    400,
    'VALIDATION_FAILED',
  ],
  ['POST', '/projects/p/commits', commitBody({ message: '' }), 400, 'VALIDATION_FAILED'],
  ['POST', '/projects/p/commits', commitBody({ expectedHead: 'main' }), 400, 'VALIDATION_FAILED'],
  ['PUT', '/files/p/x.txt?expectedHead=zz', { body: 'x' }, 400, 'VALIDATION_FAILED'],
  [
    'PUT',
    '/files/p/x.txt',
    { body: 'x', headers: { 'X-Author-Email': 'a<b' } },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'PUT',
    '/pending/p/ada/b.txt',
    { body: 'x', headers: { 'If-Match': 'W/"abc"' } },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'PUT',
    '/pending/p/ada/b.txt',
    { body: 'x', headers: { 'If-None-Match': '"3"' } },
    400,
    'VALIDATION_FAILED',
  ],
  ['GET', '/projects/p/log?limit=0', {}, 400, 'VALIDATION_FAILED'],
  ['GET', '/projects/p/log?limit=abc', {}, 400, 'VALIDATION_FAILED'],
  ['GET', '/projects/p/diff', {}, 400, 'VALIDATION_FAILED'],
  ['GET', '/projects/p/diff?from=main&format=html', {}, 400, 'VALIDATION_FAILED'],
  // malformed bodies
  [
    'POST',
    '/files/p/batch',
    { body: '{"paths": [', headers: { 'Content-Type': 'application/json' } },
    400,
    'INVALID_JSON',
  ],
  [
    'POST',
    '/projects/p/commits',
    { body: 'not json', headers: { 'Content-Type': 'application/json' } },
    400,
    'INVALID_JSON',
  ],
  [
    'POST',
    '/projects/p/branches',
    { body: '{', headers: { 'Content-Type': 'application/json' } },
    400,
    'INVALID_JSON',
  ],
  [
    'PUT',
    '/projects/q',
    { body: '{x', headers: { 'Content-Type': 'application/json' } },
    400,
    'INVALID_JSON',
  ],
  [
    'POST',
    '/files/p/batch',
    { body: '{"paths":["a"]}', headers: { 'Content-Type': 'text/plain' } },
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  ],
  ['POST', '/files/p/batch', {}, 400, 'VALIDATION_FAILED'],
  // auth
  ['GET', '/projects/p', { key: null }, 401, 'UNAUTHORIZED'],
  ['PUT', '/files/p/a.txt', { body: 'x', key: 'wrong' }, 401, 'UNAUTHORIZED'],
]

describe('bad input', () => {
  const cases = rows.map(([method, path, options, status, code]) => ({
    name: `${method} ${path.length > 60 ? `${path.slice(0, 60)}…` : path} → ${status} ${code}`,
    method,
    path,
    options,
    status,
    code,
  }))
  it.each(cases)('$name', async ({ method, path, options, status, code }) => {
    const before = await snapshot(t.db)
    const res = await t.callJson(method, path, options)
    expect(res.status).toBe(status)
    expect(res.body.error.code).toBe(code)
    expect(typeof res.body.error.message).toBe('string')
    expect(JSON.stringify(res.body)).not.toMatch(
      /SELECT|INSERT|UPDATE |DELETE FROM|\bat .*\.ts:\d+/,
    )
    expect(await snapshot(t.db)).toEqual(before)
  })

  it('bodies over the limit are 413, by Content-Length or while streaming', async () => {
    const app = createApp({
      store: new PostgresStore({ db: t.db }),
      db: t.db,
      config: { apiKey: API_KEY, bodyLimit: 1024 },
    })
    const before = await snapshot(t.db)
    const headers = { 'X-Internal-API-Key': API_KEY }
    const big = new Uint8Array(2048)
    const byLength = await app.request('/files/p/big.bin', {
      method: 'PUT',
      headers: { ...headers, 'Content-Length': '2048' },
      body: big,
    })
    expect(byLength.status).toBe(413)
    expect(((await byLength.json()) as { error: { code: string } }).error.code).toBe(
      'PAYLOAD_TOO_LARGE',
    )
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(512))
        controller.close()
      },
    })
    const streamed = await app.request('/pending/p/ada/big.bin', {
      method: 'PUT',
      headers,
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(streamed.status).toBe(413)
    const small = await app.request('/pending/p/ada/small.bin', {
      method: 'PUT',
      headers,
      body: new Uint8Array(1000),
    })
    expect(small.status).toBe(200)
    await t.call('DELETE', '/pending/p/ada/small.bin')
    expect(await snapshot(t.db)).toEqual(before)
  })
})
