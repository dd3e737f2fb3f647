import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './support/test-app.ts'
import {
  closedPort,
  startGitHttpServer,
  type TestHttpServer,
} from '../../sync/test/support/git-http-server.ts'
import {
  startRecordingProxy,
  type RecordingProxy,
} from '../../sync/test/support/recording-proxy.ts'
import { RemoteRepo } from '../../sync/test/support/remote-repo.ts'

const API_KEY = 'credentials-test-api-key'
const SERVER_TOKEN = 'ghp_server_secret_token'
const REQUEST_TOKEN = 'request-token-for-one-remote'
const basic = (token: string) => `x-access-token:${token}`

let root: string
let git: TestHttpServer
/** a host callers name: forwards to the public `git`, records the credentials it is sent */
let elsewhere: RecordingProxy
/** the configured GitHub (GITHUB_URL): forwards to `git` too */
let configured: RecordingProxy
let testApp: TestApp
let app: TestApp['app']
let store: TestApp['store']
const logLines: string[] = []

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gitpg-sync-credentials-'))
  git = await startGitHttpServer({ root })
  elsewhere = await startRecordingProxy({ target: git.url })
  configured = await startRecordingProxy({ target: git.url })
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk))
      done()
    },
  })
  testApp = await createTestApp({
    config: { apiKey: API_KEY, githubToken: SERVER_TOKEN, githubUrl: configured.url },
    logger: pino({ level: 'trace' }, destination),
  })
  ;({ app, store } = testApp)
})

afterAll(async () => {
  await elsewhere?.close()
  await configured?.close()
  await git?.close()
  await testApp?.close()
  rmSync(root, { recursive: true, force: true })
})

let counter = 0
function makeRemote() {
  const name = `secret-${++counter}`
  const remote = new RemoteRepo(root, name)
  remote.commit({ 'README.md': '# hi\n' }, 'first')
  return { remote, name, project: `p-${name}` }
}

async function call(method: string, path: string, json?: unknown) {
  const res = await app.request(path, {
    method,
    headers: { 'X-Internal-API-Key': API_KEY, 'Content-Type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  })
  const text = await res.text()
  return { status: res.status, text, body: text ? JSON.parse(text) : null }
}

describe('sync routes and credentials', () => {
  it("never send GITHUB_TOKEN to a caller's URL; a public remote still imports, pulls and pushes", async () => {
    const { remote, name, project } = makeRemote()
    const before = elsewhere.seen.length
    const url = `${elsewhere.url}/${name}.git`
    expect((await call('POST', `/projects/${project}/import`, { url })).status).toBe(201)
    remote.commit({ 'up.txt': 'up\n' }, 'upstream')
    const pulled = await call('POST', `/projects/${project}/pull`, {})
    expect(pulled.body).toMatchObject({ to: remote.head() })
    const write = await app.request(`/files/${project}/mine.txt?message=mine`, {
      method: 'PUT',
      headers: {
        'X-Internal-API-Key': API_KEY,
        'Content-Type': 'application/octet-stream',
        'X-Author-Name': 'Ada',
        'X-Author-Email': 'ada@example.com',
      },
      body: 'mine\n',
    })
    expect(write.status).toBeLessThan(300)
    const pushed = await call('POST', `/projects/${project}/push`, {})
    expect(pushed.status).toBe(200)
    expect(remote.head()).toBe(pushed.body.to)
    const seen = elsewhere.seen.slice(before)
    expect(seen.some((s) => s.method === 'POST')).toBe(true)
    expect(seen.filter((s) => s.authorization !== null)).toEqual([])
  })

  it('send GITHUB_TOKEN to the configured GitHub (GITHUB_URL)', async () => {
    const { name, project } = makeRemote()
    const before = configured.seen.length
    const res = await call('POST', `/projects/${project}/import`, {
      url: `${configured.url}/${name}.git`,
    })
    expect(res.status).toBe(201)
    const sent = configured.seen.length - before
    expect(sent).toBeGreaterThan(1)
    expect(new Set(configured.credentials().slice(-sent))).toEqual(new Set([basic(SERVER_TOKEN)]))
  })

  it("send a request's token to that request's URL only", async () => {
    const { name, project } = makeRemote()
    const redirector = await startRecordingProxy({ redirectTo: elsewhere.url, status: 301 })
    try {
      const before = elsewhere.seen.length
      const direct = await call('POST', `/projects/${project}/import`, {
        url: `${elsewhere.url}/${name}.git`,
        token: REQUEST_TOKEN,
      })
      expect(direct.status).toBe(201)
      const sent = elsewhere.seen.length - before
      expect(new Set(elsewhere.credentials().slice(-sent))).toEqual(new Set([basic(REQUEST_TOKEN)]))
      const mark = elsewhere.seen.length
      const moved = await call('POST', `/projects/${project}-2/import`, {
        url: `${redirector.url}/${name}.git`,
        token: REQUEST_TOKEN,
      })
      expect(moved.status).toBe(201)
      expect(redirector.credentials()).toEqual([basic(REQUEST_TOKEN)])
      expect(elsewhere.seen.slice(mark).filter((s) => s.authorization !== null)).toEqual([])
    } finally {
      await redirector.close()
    }
  })

  it("send a token kept in a remote's URL to that remote only, and never show it", async () => {
    const { remote, name, project } = makeRemote()
    const url = `${elsewhere.url}/${name}.git`
    expect((await call('POST', `/projects/${project}/import`, { url })).status).toBe(201)
    const stored = 'token-kept-with-the-remote'
    const repoId = (await store.getRepo(project))!.repoId
    const withToken = url.replace('http://', `http://x-access-token:${stored}@`)
    await store.updateRepo(repoId, { remote: { url: withToken, branch: 'main' } })
    const shown = await call('GET', `/projects/${project}`)
    expect(shown.body.remote).toEqual({ url, branch: 'main' })
    remote.commit({ 'later.txt': 'later\n' }, 'later')
    const before = elsewhere.seen.length
    const pulled = await call('POST', `/projects/${project}/pull`, {})
    expect(pulled.body).toMatchObject({ to: remote.head() })
    const sent = elsewhere.seen.length - before
    expect(new Set(elsewhere.credentials().slice(-sent))).toEqual(new Set([basic(stored)]))
  })

  it('never echo or log a secret: URL credentials, tokens, the API key', async () => {
    const port = await closedPort()
    const res = await call('POST', '/projects/leak/import', {
      url: `http://x-access-token:${REQUEST_TOKEN}@127.0.0.1:${port}/r.git`,
      token: REQUEST_TOKEN,
    })
    expect(res.status).toBe(502)
    expect(res.body.error.code).toBe('REMOTE_UNREACHABLE')
    const bad = await call('POST', '/projects/leak/import', {
      url: `https://me:${REQUEST_TOKEN}@host:99999/r.git`,
    })
    expect(bad.status).toBe(400)
    const logs = logLines.join('')
    expect(logs).toContain('REMOTE_UNREACHABLE')
    for (const secret of [REQUEST_TOKEN, SERVER_TOKEN, API_KEY]) {
      expect(res.text).not.toContain(secret)
      expect(bad.text).not.toContain(secret)
      expect(logs).not.toContain(secret)
    }
  })
})
