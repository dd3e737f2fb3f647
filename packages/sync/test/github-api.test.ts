import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OctokitGitHubApi, SyncError } from '../src/index.ts'
import { startFakeGitHub, type FakeGitHub } from './support/fake-github.ts'
import { closedPort } from './support/git-http-server.ts'

const TOKEN = 'ghp_good'
let github: FakeGitHub

beforeAll(async () => {
  github = await startFakeGitHub({
    token: TOKEN,
    repos: [
      { owner: 'octo', name: 'hello', defaultBranch: 'trunk', private: false, push: true },
      { owner: 'octo', name: 'secret', defaultBranch: 'main', private: true, push: false },
    ],
  })
})

afterAll(async () => {
  await github?.close()
})

async function failure(promise: Promise<unknown>): Promise<SyncError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SyncError)
  return err as SyncError
}

describe('OctokitGitHubApi', () => {
  it('reads repository metadata: default branch, visibility, push permission', async () => {
    const api = new OctokitGitHubApi({ token: TOKEN, baseUrl: github.url })
    expect(await api.getRepo({ owner: 'octo', repo: 'hello' })).toEqual({
      owner: 'octo',
      repo: 'hello',
      defaultBranch: 'trunk',
      visibility: 'public',
      canPush: true,
    })
    expect(await api.getRepo({ owner: 'octo', repo: 'secret' })).toMatchObject({
      visibility: 'private',
      canPush: false,
    })
    expect(github.requests.at(-1)?.authorization).toBe(`token ${TOKEN}`)
    const anonymous = new OctokitGitHubApi({ baseUrl: github.url })
    expect(await anonymous.getRepo({ owner: 'octo', repo: 'hello' })).toMatchObject({
      canPush: false,
    })
  })

  it('opens a pull request and returns its URL and number', async () => {
    const api = new OctokitGitHubApi({ token: TOKEN, baseUrl: github.url })
    const pr = await api.createPullRequest({
      owner: 'octo',
      repo: 'hello',
      title: 'Change things',
      body: 'Details',
      head: 'feature',
      base: 'trunk',
    })
    expect(pr).toEqual({ url: 'https://github.com/octo/hello/pull/1', number: 1 })
    expect(github.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/repos/octo/hello/pulls',
      body: { title: 'Change things', body: 'Details', head: 'feature', base: 'trunk' },
    })
  })

  it('401 is AUTH_FAILED', async () => {
    const api = new OctokitGitHubApi({ token: 'ghp_wrong', baseUrl: github.url })
    const err = await failure(api.getRepo({ owner: 'octo', repo: 'hello' }))
    expect(err.code).toBe('AUTH_FAILED')
    expect(err.message).toMatch(/Bad credentials/)
  })

  it('404 is REMOTE_NOT_FOUND (also a private repository without a token)', async () => {
    const api = new OctokitGitHubApi({ token: TOKEN, baseUrl: github.url })
    const err = await failure(api.getRepo({ owner: 'octo', repo: 'nope' }))
    expect(err.code).toBe('REMOTE_NOT_FOUND')
    expect(err.message).toMatch(/octo\/nope/)
    const anonymous = new OctokitGitHubApi({ baseUrl: github.url })
    expect((await failure(anonymous.getRepo({ owner: 'octo', repo: 'secret' }))).code).toBe(
      'REMOTE_NOT_FOUND',
    )
  })

  it('403 with x-ratelimit-remaining: 0 is RATE_LIMITED with the reset time', async () => {
    const api = new OctokitGitHubApi({ token: TOKEN, baseUrl: github.url })
    github.rateLimited = true
    try {
      const err = await failure(api.getRepo({ owner: 'octo', repo: 'hello' }))
      expect(err.code).toBe('RATE_LIMITED')
      expect(err.message).toMatch(/rate limit exceeded.*resets at \d{4}-/)
      expect(err.data.resetAt).toEqual(expect.any(String))
      const pr = await failure(
        api.createPullRequest({ owner: 'octo', repo: 'hello', title: 't', head: 'a', base: 'b' }),
      )
      expect(pr.code).toBe('RATE_LIMITED')
    } finally {
      github.rateLimited = false
    }
  })

  it('422 from pull request creation is PULL_REQUEST_FAILED with GitHub reason', async () => {
    const repos = await startFakeGitHub({
      token: TOKEN,
      repos: [
        {
          owner: 'octo',
          name: 'hello',
          defaultBranch: 'main',
          private: false,
          push: true,
          hasBranch: (b) => b === 'main',
        },
      ],
    })
    try {
      const api = new OctokitGitHubApi({ token: TOKEN, baseUrl: repos.url })
      const err = await failure(
        api.createPullRequest({
          owner: 'octo',
          repo: 'hello',
          title: 't',
          head: 'gone',
          base: 'main',
        }),
      )
      expect(err.code).toBe('PULL_REQUEST_FAILED')
      expect(err.message).toMatch(/Validation Failed/)
    } finally {
      await repos.close()
    }
  })

  it('an unreachable API is REMOTE_UNREACHABLE', async () => {
    const api = new OctokitGitHubApi({
      token: TOKEN,
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
    })
    expect((await failure(api.getRepo({ owner: 'octo', repo: 'hello' }))).code).toBe(
      'REMOTE_UNREACHABLE',
    )
  })
})
