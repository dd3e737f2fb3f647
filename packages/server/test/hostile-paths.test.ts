import type { Database } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_PATH_DEPTH } from '../src/domain/paths.ts'
import { createTestApp, type CallOptions, type TestApp } from './support/test-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  await t.callJson('PUT', '/projects/p')
  await t.callJson('PUT', '/files/p/a.txt', { body: 'a' })
})
afterAll(async () => t?.close())

/** Everything a refused request must leave as it was. */
async function snapshot(db: Database) {
  const q = async (sql: string) => (await db.query(sql)).rows
  return {
    refs: await q('SELECT repo_id, name, oid, target FROM git_refs ORDER BY repo_id, name'),
    objects: await q(
      "SELECT count(*)::int AS n, md5(string_agg(encode(oid, 'hex'), '' ORDER BY oid)) FROM git_objects",
    ),
    pending: await q('SELECT user_id, path, action, version FROM pending_changes ORDER BY path'),
  }
}

const enc = (path: string) => path.split('/').map(encodeURIComponent).join('/')

/** Paths git refuses with core.protectNTFS and core.protectHFS (or Windows reads as climbing). */
const HOSTILE = [
  '.git /config',
  '.git./config',
  'git~1/config',
  '.git::$INDEX_ALLOCATION/config',
  'a\\.git\\config',
  '.g\u200cit/config',
  '..\\..\\x',
  'sub/GIT~1/hooks/post-checkout',
  '\ufeff.git/config',
]

const author = { name: 'A', email: 'a@x' }

describe('API paths git would refuse', () => {
  const routes: [string, (p: string) => [string, string, CallOptions]][] = [
    ['PUT /files', (p) => ['PUT', `/files/p/${enc(p)}`, { body: 'x' }]],
    ['DELETE /files', (p) => ['DELETE', `/files/p/${enc(p)}`, {}]],
    ['PUT /pending', (p) => ['PUT', `/pending/p/ada/${enc(p)}`, { body: 'x' }]],
    ['POST /pending/delete', (p) => ['POST', `/pending/p/ada/delete/${enc(p)}`, {}]],
    ['POST /files/batch', (p) => ['POST', '/files/p/batch', { json: { paths: [p] } }]],
    [
      'POST /commits',
      (p) => [
        'POST',
        '/projects/p/commits',
        { json: { userId: 'ada', message: 'm', author, paths: [p] } },
      ],
    ],
  ]
  const cases = HOSTILE.flatMap((path) =>
    routes.map(([route, request]) => ({ name: `${route} ${JSON.stringify(path)}`, request, path })),
  )

  it.each(cases)('$name → 400 INVALID_PATH, nothing stored', async ({ request, path }) => {
    const before = await snapshot(t.db)
    const res = await t.callJson(...request(path))
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('INVALID_PATH')
    expect(res.body.error.message).toMatch(/invalid path/)
    expect(await snapshot(t.db)).toEqual(before)
  })

  it('refuses a path deeper than the limit with 400, not a crash', async () => {
    const before = await snapshot(t.db)
    for (const depth of [MAX_PATH_DEPTH + 1, 1500]) {
      const res = await t.callJson('PUT', `/files/p/${'d/'.repeat(depth - 1)}f`, { body: 'x' })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('INVALID_PATH')
      expect(res.body.error.message).toMatch(/deeper than/)
    }
    expect(await snapshot(t.db)).toEqual(before)
  })

  it('accepts unusual names git accepts', async () => {
    for (const path of ['.github/workflows/ci.yml', 'git~2', 'a..b', '.gitx/y', 'x.git/y']) {
      const res = await t.callJson('PUT', `/files/p/${enc(path)}`, { body: 'ok' })
      expect(res.status, path).toBe(201)
    }
  })
})

describe('a .gitmodules written through the API', () => {
  const bad: [string, string, string][] = [
    ['a name with ../', '[submodule "../../x"]\n\tpath = x\n\turl = ./x\n', 'gitmodulesName'],
    [
      'an --upload-pack= url',
      '[submodule "x"]\n\turl = --upload-pack=touch /tmp/pwn\n',
      'gitmodulesUrl',
    ],
    ['a url climbing into the host', '[submodule "x"]\n\turl = ../../:x\n', 'gitmodulesUrl'],
    ['a url with a newline', '[submodule "x"]\n\turl = ./a%0ahost=evil\n', 'gitmodulesUrl'],
    ['a path starting with -', '[submodule "x"]\n\tpath = -x\n\turl = ./x\n', 'gitmodulesPath'],
  ]

  it.each(bad)('with %s is refused, committed or saved', async (_, text, id) => {
    const before = await snapshot(t.db)
    for (const [method, path] of [
      ['PUT', '/files/p/.gitmodules'],
      ['PUT', '/files/p/sub/.GITMODULES'],
      ['PUT', '/files/p/gitmod~1'],
      ['PUT', '/files/p/a%5C.gitmodules'],
      ['PUT', '/files/p/sub/a%5C.GITMODULES'],
      ['PUT', '/files/p/a%5Cgitmod~1'],
      ['PUT', '/pending/p/ada/.gitmodules'],
      ['PUT', '/pending/p/ada/a%5C.gitmodules'],
    ]) {
      const res = await t.callJson(method, path, { body: text })
      expect(res.status, path).toBe(400)
      expect(res.body.error.code).toBe('BAD_OBJECT')
      expect(res.body.error.fsck).toBe(id)
      expect(res.body.error.message).toContain(`: ${id}: `)
    }
    expect(await snapshot(t.db)).toEqual(before)
  })

  it('is accepted when git would accept it', async () => {
    const text = '[submodule "lib"]\n\tpath = lib\n\turl = https://example.com/lib.git\n'
    for (const path of ['.gitmodules', 'a%5C.gitmodules']) {
      const res = await t.callJson('PUT', `/files/p/${path}`, { body: text })
      expect(res.status, path).toBe(201)
    }
  })
})
