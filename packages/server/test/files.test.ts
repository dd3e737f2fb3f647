import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './support/test-app.ts'

const blobOid = (content: string | Buffer) =>
  execFileSync('git', ['hash-object', '--stdin'], { input: content }).toString().trim()

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  await t.callJson('PUT', '/projects/site')
  await t.callJson('PUT', '/files/site/README.md', { body: '# site\n' })
  await t.callJson('PUT', '/files/site/docs/intro.md', { body: 'intro\n' })
  await t.callJson('PUT', '/files/site/docs/deep/x.bin', { body: Buffer.from([0, 1, 2, 255]) })
})
afterAll(async () => t?.close())

describe('files routes', () => {
  it('lists files, whole tree or under a prefix', async () => {
    const all = await t.callJson('GET', '/files/site')
    expect(all.status).toBe(200)
    expect(all.body.files.map((f: { path: string }) => f.path)).toEqual([
      'README.md',
      'docs/deep/x.bin',
      'docs/intro.md',
    ])
    expect(all.body.files[0]).toEqual({
      path: 'README.md',
      oid: blobOid('# site\n'),
      size: 7,
      mode: '100644',
    })
    const docs = await t.callJson('GET', '/files/site?prefix=docs/deep/')
    expect(docs.body.files.map((f: { path: string }) => f.path)).toEqual(['docs/deep/x.bin'])
  })

  it('lists an empty project as no files', async () => {
    await t.callJson('PUT', '/projects/empty')
    expect((await t.callJson('GET', '/files/empty')).body).toEqual({ files: [] })
  })

  it('reads raw bytes with the blob id as ETag, and 304 on If-None-Match', async () => {
    const res = await t.call('GET', '/files/site/docs/deep/x.bin')
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]))
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    const oid = blobOid(Buffer.from([0, 1, 2, 255]))
    expect(res.headers.get('etag')).toBe(`"${oid}"`)
    const again = await t.call('GET', '/files/site/docs/deep/x.bin', {
      headers: { 'If-None-Match': `"${oid}"` },
    })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    const stale = await t.call('GET', '/files/site/docs/deep/x.bin', {
      headers: { 'If-None-Match': '"0000000000000000000000000000000000000000"' },
    })
    expect(stale.status).toBe(200)
    const text = await t.call('GET', '/files/site/README.md')
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8')
  })

  it('reads at a ref: an older commit, a branch, a missing path', async () => {
    const first = (await t.callJson('GET', '/projects/site/log')).body.commits.at(-1).oid
    const old = await t.call('GET', `/files/site/docs/intro.md?ref=${first}`)
    expect(old.status).toBe(404)
    expect((await t.call('GET', `/files/site/README.md?ref=${first}`)).status).toBe(200)
    expect((await t.call('GET', '/files/site/README.md?ref=main')).status).toBe(200)
    const missing = await t.callJson('GET', '/files/site/nope.md')
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('PATH_NOT_FOUND')
    const badRef = await t.callJson('GET', '/files/site/README.md?ref=nobranch')
    expect(badRef.status).toBe(404)
    expect(badRef.body.error.code).toBe('REF_NOT_FOUND')
  })

  it('lays the user’s pending version over the branch: pending wins, pending delete is 404', async () => {
    await t.call('PUT', '/pending/site/ada/README.md', { body: '# changed\n' })
    await t.call('POST', '/pending/site/ada/delete/docs/intro.md')
    await t.call('PUT', '/pending/site/ada/new.md', { body: 'new\n' })

    const mine = await t.call('GET', '/files/site/README.md?userId=ada')
    expect(await mine.text()).toBe('# changed\n')
    expect(mine.headers.get('etag')).toBe(`"${blobOid('# changed\n')}"`)
    expect(mine.headers.get('x-gitpg-pending')).toBe('true')
    expect((await t.call('GET', '/files/site/docs/intro.md?userId=ada')).status).toBe(404)
    expect(await (await t.call('GET', '/files/site/new.md?userId=ada')).text()).toBe('new\n')

    expect(await (await t.call('GET', '/files/site/README.md')).text()).toBe('# site\n')
    expect(await (await t.call('GET', '/files/site/README.md?userId=bob')).text()).toBe('# site\n')
    expect((await t.call('GET', '/files/site/new.md')).status).toBe(404)
    await t.call('DELETE', '/pending/site/ada')
  })

  it('batch-reads thousands of paths in one call, utf8 or base64, with the overlay', async () => {
    const many = Array.from({ length: 1200 }, (_, i) => `bulk/f${i}.txt`)
    // one commit with 1,200 files, through the pending route
    for (let i = 0; i < many.length; i += 100) {
      await Promise.all(
        many
          .slice(i, i + 100)
          .map((p, j) => t.call('PUT', `/pending/site/bulk/${p}`, { body: `${i + j}\n` })),
      )
    }
    const commit = await t.callJson('POST', '/projects/site/commits', {
      json: { userId: 'bulk', message: 'bulk', author: { name: 'B', email: 'b@x' } },
    })
    expect(commit.status).toBe(201)
    await t.call('PUT', '/pending/site/ada/bulk/f7.txt', { body: 'mine\n' })
    await t.call('POST', '/pending/site/ada/delete/bulk/f8.txt')

    const res = await t.callJson('POST', '/files/site/batch', {
      json: { paths: [...many, 'docs/deep/x.bin', 'missing.txt'], userId: 'ada' },
    })
    expect(res.status).toBe(200)
    expect(res.body.files).toHaveLength(1200)
    expect(res.body.missing).toEqual(['bulk/f8.txt', 'missing.txt'])
    const byPath = new Map(res.body.files.map((f: { path: string }) => [f.path, f]))
    expect(byPath.get('bulk/f1.txt')).toEqual({
      path: 'bulk/f1.txt',
      oid: blobOid('1\n'),
      mode: '100644',
      size: 2,
      encoding: 'utf8',
      content: '1\n',
      pending: false,
    })
    expect(byPath.get('bulk/f7.txt')).toMatchObject({ content: 'mine\n', pending: true })
    expect(byPath.get('docs/deep/x.bin')).toMatchObject({
      encoding: 'base64',
      content: Buffer.from([0, 1, 2, 255]).toString('base64'),
    })
    await t.call('DELETE', '/pending/site/ada')
  })

  it('PUT commits one file with the author headers and message', async () => {
    const res = await t.callJson('PUT', '/files/site/notes/todo.txt?message=Add%20todo', {
      body: 'todo\n',
      headers: { 'X-Author-Name': 'Grace Hopper', 'X-Author-Email': 'grace@example.com' },
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ branch: 'main', path: 'notes/todo.txt' })
    const c = await t.callJson('GET', `/projects/site/commits/${res.body.commit}`)
    expect(c.body.message).toBe('Add todo\n')
    expect(c.body.author).toMatchObject({ name: 'Grace Hopper', email: 'grace@example.com' })
    expect(c.body.parents).toEqual([res.body.parent])
    expect(c.body.changes).toEqual([
      expect.objectContaining({ path: 'notes/todo.txt', status: 'A', newOid: blobOid('todo\n') }),
    ])
  })

  it('PUT on another branch and with a stale expectedHead', async () => {
    await t.callJson('POST', '/projects/site/branches', { json: { name: 'draft' } })
    const res = await t.callJson('PUT', '/files/site/draft.txt?branch=draft', { body: 'd' })
    expect(res.status).toBe(201)
    expect(res.body.branch).toBe('draft')
    expect((await t.call('GET', '/files/site/draft.txt')).status).toBe(404)
    expect((await t.call('GET', '/files/site/draft.txt?ref=draft')).status).toBe(200)

    const stale = await t.callJson(
      'PUT',
      `/files/site/x.txt?expectedHead=${res.body.parent}&branch=draft`,
      {
        body: 'x',
      },
    )
    expect(stale.status).toBe(409)
    expect(stale.body.error).toMatchObject({ code: 'REF_CONFLICT', head: res.body.commit })
    const noBranch = await t.callJson('PUT', '/files/site/x.txt?branch=ghost', { body: 'x' })
    expect(noBranch.status).toBe(404)
    expect(noBranch.body.error.code).toBe('BRANCH_NOT_FOUND')
  })

  it('DELETE commits the deletion; a missing file is 404', async () => {
    const res = await t.callJson('DELETE', '/files/site/notes/todo.txt')
    expect(res.status).toBe(201)
    expect((await t.call('GET', '/files/site/notes/todo.txt')).status).toBe(404)
    const again = await t.callJson('DELETE', '/files/site/notes/todo.txt')
    expect(again.status).toBe(404)
    expect(again.body.error.code).toBe('PATH_NOT_FOUND')
  })

  it('PUT with the same content is NOTHING_TO_COMMIT', async () => {
    const res = await t.callJson('PUT', '/files/site/README.md', { body: '# site\n' })
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('NOTHING_TO_COMMIT')
  })

  it('concurrent direct writes to different paths all land', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        t.callJson('PUT', `/files/site/race/${i}.txt`, { body: `${i}` }),
      ),
    )
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201])
    const list = await t.callJson('GET', '/files/site?prefix=race')
    expect(list.body.files).toHaveLength(4)
  })

  it('handles paths with spaces and unicode', async () => {
    const path = encodeURIComponent('dir with space/naïve ü.txt').replace(/%2F/g, '/')
    expect((await t.callJson('PUT', `/files/site/${path}`, { body: 'u' })).status).toBe(201)
    const res = await t.call('GET', `/files/site/${path}`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('u')
    const list = await t.callJson(
      'GET',
      `/files/site?prefix=${encodeURIComponent('dir with space')}`,
    )
    expect(list.body.files[0].path).toBe('dir with space/naïve ü.txt')
  })
})
