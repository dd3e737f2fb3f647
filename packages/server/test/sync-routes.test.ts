import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  closedPort,
  startGitHttpServer,
  type TestHttpServer,
} from '../../sync/test/support/git-http-server.ts'
import { RemoteRepo } from '../../sync/test/support/remote-repo.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const TOKEN = 'route-token'
let root: string
let server: TestHttpServer
let t: TestApp

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gitpg-sync-routes-'))
  server = await startGitHttpServer({ root, token: TOKEN })
  t = await createTestApp()
})

afterAll(async () => {
  await t?.close()
  await server?.close()
  rmSync(root, { recursive: true, force: true })
})

function makeRemote(name: string) {
  const remote = new RemoteRepo(root, name)
  remote.commit({ 'README.md': '# hi\n', 'a.txt': 'a\n' }, 'first')
  remote.commit({ 'b.txt': 'b\n' }, 'second')
  return { remote, url: `${server.url}/${name}.git` }
}

describe('sync routes', () => {
  it('POST /projects/:id/import creates and imports; GET shows the remote', async () => {
    const { remote, url } = makeRemote('imp')
    const res = await t.callJson('POST', '/projects/imp/import', { json: { url, token: TOKEN } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      project: 'imp',
      created: true,
      branch: 'main',
      head: remote.head(),
    })
    const project = await t.callJson('GET', '/projects/imp')
    expect(project.body).toEqual({
      id: 'imp',
      defaultBranch: 'main',
      head: remote.head(),
      remote: { url, branch: 'main' },
    })
    const log = await t.callJson('GET', '/projects/imp/log')
    expect(log.body.commits.map((c: { oid: string }) => c.oid)).toEqual(remote.revList())
    const again = await t.callJson('POST', '/projects/imp/import', { json: { url, token: TOKEN } })
    expect(again.status).toBe(200)
  })

  it('POST /projects/:id/import with depth 1', async () => {
    const { remote, url } = makeRemote('shallow')
    const res = await t.callJson('POST', '/projects/shallow/import', {
      json: { url, token: TOKEN, depth: 1 },
    })
    expect(res.status).toBe(201)
    expect(res.body.shallow).toBe(true)
    const log = await t.callJson('GET', '/projects/shallow/log')
    expect(log.body.commits.map((c: { oid: string }) => c.oid)).toEqual([remote.head()])
  })

  it('answers sync errors with their codes and statuses', async () => {
    const { url } = makeRemote('errs')
    const bad = await t.callJson('POST', '/projects/errs/import', {
      json: { url: 'ssh://h/r.git' },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('BAD_REMOTE_URL')
    const auth = await t.callJson('POST', '/projects/errs/import', { json: { url, token: 'nope' } })
    expect(auth.status).toBe(403)
    expect(auth.body.error.code).toBe('AUTH_FAILED')
    const port = await closedPort()
    const down = await t.callJson('POST', '/projects/errs/import', {
      json: { url: `http://127.0.0.1:${port}/x.git` },
    })
    expect(down.status).toBe(502)
    expect(down.body.error.code).toBe('REMOTE_UNREACHABLE')
    expect((await t.callJson('GET', '/projects/errs')).status).toBe(404)
    await t.callJson('PUT', '/projects/plain')
    const none = await t.callJson('POST', '/projects/plain/pull')
    expect(none.status).toBe(409)
    expect(none.body.error.code).toBe('NO_REMOTE')
    const missing = await t.callJson('POST', '/projects/missing/pull')
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('PROJECT_NOT_FOUND')
  })

  it('POST /projects/:id/pull fast-forwards and lists pending changes on changed paths', async () => {
    const { remote, url } = makeRemote('pull')
    await t.callJson('POST', '/projects/pull/import', { json: { url, token: TOKEN } })
    const from = remote.head()
    await t.call('PUT', '/pending/pull/ada/a.txt', { body: 'ada draft\n' })
    await t.call('PUT', '/pending/pull/bob/a.txt', { body: 'bob draft\n' })
    await t.call('PUT', '/pending/pull/bob/README.md', { body: 'untouched upstream\n' })
    remote.commit({ 'a.txt': 'a upstream\n', 'c.txt': 'c\n' }, 'third')
    const res = await t.callJson('POST', '/projects/pull/pull', { json: { token: TOKEN } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      from,
      to: remote.head(),
      changedPaths: ['a.txt', 'c.txt'],
      conflicts: [{ path: 'a.txt', users: ['ada', 'bob'] }],
    })
    const pending = await t.call('GET', '/pending/pull/ada/a.txt')
    expect(await pending.text()).toBe('ada draft\n')
    const file = await t.call('GET', '/files/pull/a.txt')
    expect(await file.text()).toBe('a upstream\n')
    const feed = await t.callJson('GET', '/projects/pull/changes')
    const refEvents = feed.body.changes.filter((e: { kind: string }) => e.kind === 'ref.updated')
    expect(refEvents.at(-1)).toMatchObject({ ref: 'refs/heads/main', from, to: remote.head() })
  })

  it('POST /projects/:id/push pushes commits; 409 NON_FAST_FORWARD when the remote moved', async () => {
    const { remote, url } = makeRemote('push')
    await t.callJson('POST', '/projects/push/import', { json: { url, token: TOKEN } })
    const commit = await t.call('PUT', '/files/push/new.txt?message=add', {
      body: 'new\n',
      headers: { 'X-Author-Name': 'Ada', 'X-Author-Email': 'ada@example.com' },
    })
    expect(commit.status).toBeLessThan(300)
    const res = await t.callJson('POST', '/projects/push/push', { json: { token: TOKEN } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ branch: 'main', remoteBranch: 'main', pushed: true })
    expect(remote.head()).toBe(res.body.to)
    remote.commit({ 'other.txt': 'o\n' }, 'remote work')
    await t.call('PUT', '/files/push/new.txt?message=edit', {
      body: 'newer\n',
      headers: { 'X-Author-Name': 'Ada', 'X-Author-Email': 'ada@example.com' },
    })
    const refused = await t.callJson('POST', '/projects/push/push', { json: { token: TOKEN } })
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('NON_FAST_FORWARD')
    const diverged = await t.callJson('POST', '/projects/push/pull', { json: { token: TOKEN } })
    expect(diverged.status).toBe(409)
    expect(diverged.body.error.code).toBe('DIVERGED')
    const merged = await t.callJson('POST', '/projects/push/pull', {
      json: { token: TOKEN, merge: true, author: { name: 'Ada', email: 'ada@example.com' } },
    })
    expect(merged.status).toBe(200)
    expect(merged.body).toMatchObject({ merged: true, changedPaths: ['other.txt'] })
    const pushedMerge = await t.callJson('POST', '/projects/push/push', { json: { token: TOKEN } })
    expect(pushedMerge.status).toBe(200)
    expect(remote.head()).toBe(merged.body.to)
  })
})
