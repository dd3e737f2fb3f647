import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Repository, type PostgresStore } from '@gitpg/git-pg-fs'
import {
  OctokitGitHubApi,
  SyncError,
  fetchFollowingRedirects,
  gitHubHost,
  importProject,
  originOf,
  parseRemoteUrl,
  pullProject,
  pushProject,
  scopedCredential,
  tokenFor,
  type GitHubHost,
  type ImportOptions,
} from '../src/index.ts'
import type { TestHttpServer } from './support/git-http-server.ts'
import { startFakeGitHub, type FakeGitHub, type FakeRepo } from './support/fake-github.ts'
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.ts'
import { RemoteRepo } from './support/remote-repo.ts'
import { startSyncStack, type SyncStack } from './support/sync-stack.ts'

const SERVER_TOKEN = 'server-secret-token'
const REQUEST_TOKEN = 'request-token'
const author = { name: 'Local Author', email: 'local@example.com', timestamp: 1_800_000_000 }

let stack: SyncStack
let root: string
/** a public git server: it asks for no credentials */
let git: TestHttpServer
/** a host a caller names: forwards to `git`, records what it is sent */
let elsewhere: RecordingProxy
/** the configured GitHub in the tests that have one: forwards to `git`, records too */
let configured: RecordingProxy
let store: PostgresStore
let counter = 0

beforeAll(async () => {
  stack = await startSyncStack({ name: 'credentials' })
  ;({ root, remotes: git, store } = stack)
  elsewhere = await startRecordingProxy({ target: git.url })
  configured = await startRecordingProxy({ target: git.url })
})

afterAll(async () => {
  await elsewhere?.close()
  await configured?.close()
  await stack?.close()
})

function makeRemote(prefix = '') {
  const name = `${prefix}cred-${++counter}`
  const remote = new RemoteRepo(root, name)
  remote.commit({ 'README.md': '# hello\n' }, 'first')
  return { remote, name, project: `p-${name}` }
}

/** A local commit on main, so that a push has something to send. */
async function commitLocally(project: string, path: string) {
  const repo = await Repository.open({ store, name: project })
  return repo.commit({
    branch: 'main',
    changes: [{ path, action: 'write', content: Buffer.from(`${path}\n`) }],
    message: `add ${path}`,
    author,
  })
}

async function syncError(promise: Promise<unknown>): Promise<SyncError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SyncError)
  return err as SyncError
}

const basic = (token: string) => `x-access-token:${token}`
const hostOf = (proxy: RecordingProxy): GitHubHost => gitHubHost(proxy.url)

/** Imports `name` through `proxy` as `project`, with the other import options given. */
const importVia = (
  proxy: RecordingProxy,
  { name, project, ...options }: { name: string; project: string } & Partial<ImportOptions>,
) => importProject({ store, ...options, name: project, url: `${proxy.url}/${name}.git` })

/** Runs `fn` with a proxy that answers every request with a redirect, and closes it after. */
async function withRedirector(
  options: { redirectTo: string; status: number },
  fn: (redirector: RecordingProxy) => Promise<void>,
) {
  const redirector = await startRecordingProxy(options)
  try {
    await fn(redirector)
  } finally {
    await redirector.close()
  }
}

/** `proxy` got requests since `before`, and none carried credentials. */
function expectNoCredentials(proxy: RecordingProxy, before: number) {
  const seen = proxy.seen.slice(before)
  expect(seen.length).toBeGreaterThan(1)
  expect(seen.filter((s) => s.authorization !== null)).toEqual([])
}

/** `proxy` got requests since `before`, and every one carried `token`. */
function expectOnlyToken(proxy: RecordingProxy, before: number, token: string) {
  const seen = proxy.seen.slice(before)
  expect(seen.length).toBeGreaterThan(1)
  expect(seen.every((s) => s.authorization !== null)).toBe(true)
  expect(new Set(proxy.credentials().slice(-seen.length))).toEqual(new Set([basic(token)]))
}

describe('credentials', () => {
  it('compares scheme, host and port exactly', () => {
    expect(originOf('https://GitHub.com:443/octo/hello.git')).toBe('https://github.com')
    expect(originOf('ftp://github.com/x')).toBeNull()
    const c = scopedCredential('t', 'https://github.com/octo/hello.git')
    expect(tokenFor([c], 'https://github.com/other/repo.git/info/refs')).toBe('t')
    expect(tokenFor([c], 'http://github.com/octo/hello.git')).toBeNull()
    expect(tokenFor([c], 'https://github.com:8443/octo/hello.git')).toBeNull()
    expect(tokenFor([c], 'https://github.com.evil.example/octo/hello.git')).toBeNull()
    expect(tokenFor([c], 'https://evil.example/github.com/octo/hello.git')).toBeNull()
    expect(scopedCredential(null, 'https://github.com')).toBeNull()
  })

  it("GitHub's web and API hosts: github.com, or a GitHub Enterprise base URL", () => {
    expect(gitHubHost()).toEqual({ url: 'https://github.com', apiUrl: 'https://api.github.com' })
    expect(gitHubHost('https://ghe.example.com/')).toEqual({
      url: 'https://ghe.example.com',
      apiUrl: 'https://ghe.example.com/api/v3',
    })
    for (const bad of ['ghe.example.com', 'ftp://ghe.example.com', 'https://u:p@ghe.example.com'])
      expect(() => gitHubHost(bad)).toThrow(TypeError)
    expect(() => gitHubHost('https://ghe.example.com/api/v3')).toThrow(TypeError)
  })

  it('a URL that does not parse is echoed without its credentials', async () => {
    const err = await syncError(
      Promise.resolve().then(() => parseRemoteUrl('https://me:hunter2@host:99999/r.git')),
    )
    expect(err.code).toBe('BAD_REMOTE_URL')
    expect(JSON.stringify([err.message, err.data])).not.toContain('hunter2')
  })
})

describe('the server token', () => {
  it('never goes to a host a caller names; import, pull and push of a public remote work', async () => {
    const { remote, name, project } = makeRemote()
    const url = `${elsewhere.url}/${name}.git`
    const before = elsewhere.seen.length
    const options = { store, defaultToken: SERVER_TOKEN, githubHost: hostOf(configured) }
    await importProject({ ...options, name: project, url })
    remote.commit({ 'later.txt': 'later\n' }, 'later')
    expect(await pullProject({ ...options, name: project })).toMatchObject({ to: remote.head() })
    const local = await commitLocally(project, 'mine.txt')
    await pushProject({ ...options, name: project })
    expect(remote.head()).toBe(local.oid)
    const seen = elsewhere.seen.slice(before)
    expect(seen.map((s) => s.method)).toContain('POST')
    expect(seen.filter((s) => s.authorization !== null)).toEqual([])
  })

  it('goes to the configured GitHub (here plain http, because that is what is configured)', async () => {
    const { remote, name, project } = makeRemote()
    const before = configured.seen.length
    await importVia(configured, {
      name,
      project,
      defaultToken: SERVER_TOKEN,
      githubHost: hostOf(configured),
    })
    expect(await store.getRepo(project)).not.toBeNull()
    expect(remote.head()).toBeTruthy()
    expectOnlyToken(configured, before, SERVER_TOKEN)
  })

  it('is not carried by a redirect from the configured GitHub to another host', async () => {
    await withRedirector({ redirectTo: elsewhere.url, status: 301 }, async (redirector) => {
      const { name, project } = makeRemote()
      const before = elsewhere.seen.length
      await importVia(redirector, {
        name,
        project,
        defaultToken: SERVER_TOKEN,
        githubHost: hostOf(redirector),
      })
      expect(redirector.credentials()).toEqual([basic(SERVER_TOKEN)])
      expectNoCredentials(elsewhere, before)
      // the project follows the new address, and later syncs send the token nowhere
      expect((await store.getRepo(project))?.remote?.url).toBe(`${elsewhere.url}/${name}.git`)
    })
  })
})

describe('a token given with a request', () => {
  it("goes to that request's URL only, and is preferred there to the server token", async () => {
    const { name, project } = makeRemote()
    const before = elsewhere.seen.length
    await importVia(elsewhere, {
      name,
      project,
      token: REQUEST_TOKEN,
      defaultToken: SERVER_TOKEN,
      githubHost: hostOf(configured),
    })
    expectOnlyToken(elsewhere, before, REQUEST_TOKEN)
  })

  it('is not carried by a redirect to another host, nor are credentials in the URL', async () => {
    await withRedirector({ redirectTo: elsewhere.url, status: 302 }, async (redirector) => {
      const { name, project } = makeRemote()
      const before = elsewhere.seen.length
      await importVia(redirector, { name, project, token: REQUEST_TOKEN })
      const withUser = redirector.url.replace('http://', 'http://x-access-token:in-the-url@')
      await importProject({ store, name: `${project}-2`, url: `${withUser}/${name}.git` })
      expect(redirector.credentials()).toEqual([basic(REQUEST_TOKEN), basic('in-the-url')])
      expectNoCredentials(elsewhere, before)
    })
  })

  it('follows a bounded number of redirects', async () => {
    await withRedirector({ redirectTo: '', status: 302 }, async (loop) => {
      const err = await syncError(
        importVia(loop, { name: 'x', project: 'loop', token: REQUEST_TOKEN }),
      )
      expect(err.code).toBe('REMOTE_PROTOCOL_ERROR')
      expect(err.message).toMatch(/too many redirects/)
      expect(loop.seen.length).toBe(11)
      expect(await store.getRepo('loop')).toBeNull()
    })
  })
})

describe('the GitHub API for pull requests', () => {
  let github: FakeGitHub
  let api: RecordingProxy
  const repos: FakeRepo[] = [
    { owner: 'octo', name: 'api', defaultBranch: 'main', private: true, push: true },
  ]
  const onGitHub = (name: string) => {
    repos.push({
      owner: 'octo',
      name: name.slice('octo/'.length),
      defaultBranch: 'main',
      private: true,
      push: true,
    })
  }

  beforeAll(async () => {
    github = await startFakeGitHub({ token: SERVER_TOKEN, repos })
    api = await startRecordingProxy({ target: github.url })
  })

  afterAll(async () => {
    await api?.close()
    await github?.close()
  })

  it('gets the server token when it is the configured GitHub API', async () => {
    const { name, project } = makeRemote('octo/')
    onGitHub(name)
    await importVia(configured, { name, project })
    await commitLocally(project, 'pr.txt')
    const githubHost = { url: configured.url, apiUrl: api.url }
    const result = await pushProject({
      store,
      name: project,
      defaultToken: SERVER_TOKEN,
      githubHost,
      pullRequest: { title: 'A change' },
    })
    expect(result.pullRequest?.number).toBeGreaterThan(0)
    expect(api.seen.at(-1)?.authorization).toBe(`token ${SERVER_TOKEN}`)
  })

  it('never gets the server token at an API URL recorded by a caller; nothing is pushed', async () => {
    const { remote, name, project } = makeRemote('octo/')
    await importVia(configured, { name, project, githubApiUrl: api.url })
    await commitLocally(project, 'pr.txt')
    const refs = remote.git('for-each-ref')
    const before = api.seen.length
    const err = await syncError(
      pushProject({
        store,
        name: project,
        defaultToken: SERVER_TOKEN,
        pullRequest: { title: 'A change' },
      }),
    )
    expect(err.code).toBe('PULL_REQUEST_UNSUPPORTED')
    expect(api.seen.length).toBe(before)
    expect(remote.git('for-each-ref')).toBe(refs)
  })

  it('drops the token when the API redirects to another host', async () => {
    await withRedirector({ redirectTo: api.url, status: 307 }, async (redirector) => {
      const before = api.seen.length
      const client = new OctokitGitHubApi({ token: SERVER_TOKEN, baseUrl: redirector.url })
      const err = await syncError(client.getRepo({ owner: 'octo', repo: 'api' }))
      expect(err.code).toBe('REMOTE_NOT_FOUND')
      expect(redirector.seen.at(-1)?.authorization).toBe(`token ${SERVER_TOKEN}`)
      expect(api.seen.slice(before).map((s) => s.authorization)).toEqual([null])
    })
  })
})

describe('fetchFollowingRedirects', () => {
  it('does not replay a streamed body: its redirect is the answer', async () => {
    await withRedirector({ redirectTo: elsewhere.url, status: 307 }, async (redirector) => {
      const before = elsewhere.seen.length
      async function* chunks() {
        yield new TextEncoder().encode('x')
      }
      const res = await fetchFollowingRedirects(`${redirector.url}/a`, {
        method: 'POST',
        body: ReadableStream.from(chunks()),
        duplex: 'half',
      } as RequestInit)
      expect(res.status).toBe(307)
      expect(elsewhere.seen.length).toBe(before)
    })
  })
})
