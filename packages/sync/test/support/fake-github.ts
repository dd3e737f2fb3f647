import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeRepo {
  owner: string
  name: string
  defaultBranch: string
  private: boolean
  /** whether the good token may push */
  push: boolean
  /** whether a branch exists (pull requests need their head branch) */
  hasBranch?: (branch: string) => boolean
}

export interface FakeGitHub {
  url: string
  /** answer every request with GitHub's primary rate-limit refusal */
  rateLimited: boolean
  requests: { method: string; path: string; authorization: string | null; body: unknown }[]
  close(): Promise<void>
}

const DOCS = 'https://docs.github.com/rest'

/**
 * A loopback stand-in for the GitHub REST API's repository and pull-request endpoints, answering
 * the way api.github.com does: bodies, status codes and rate-limit headers as GitHub sends them
 * (`Bad credentials` 401, `Not Found` 404, 403 with `x-ratelimit-remaining: 0`, 422 validation).
 */
export async function startFakeGitHub({
  token,
  repos,
}: {
  token: string
  repos: FakeRepo[]
}): Promise<FakeGitHub> {
  let pullNumber = 0
  const state: FakeGitHub = {
    url: '',
    rateLimited: false,
    requests: [],
    close: async () => {},
  }
  const reset = Math.floor(Date.now() / 1000) + 3600

  function send(res: ServerResponse, status: number, body: unknown, headers = {}) {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': state.rateLimited ? '0' : '4999',
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-used': state.rateLimited ? '5000' : '1',
      'x-ratelimit-resource': 'core',
      'x-github-request-id': 'FAKE:0001',
      ...headers,
    })
    res.end(JSON.stringify(body))
  }

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const parts: Buffer[] = []
    for await (const chunk of req) parts.push(chunk as Buffer)
    const text = Buffer.concat(parts).toString('utf8')
    return text ? JSON.parse(text) : null
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const authorization = req.headers.authorization ?? null
    const body = await readBody(req)
    state.requests.push({ method: req.method ?? '', path: url.pathname, authorization, body })
    if (state.rateLimited)
      return send(res, 403, {
        message: 'API rate limit exceeded for user ID 1.',
        documentation_url: `${DOCS}/overview/resources-in-the-rest-api#rate-limiting`,
        status: '403',
      })
    const given = authorization?.replace(/^(token|bearer) /i, '')
    if (authorization && given !== token)
      return send(res, 401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' })
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/pulls)?$/.exec(url.pathname)
    const repo = m && repos.find((r) => r.owner === m[1] && r.name === m[2])
    if (!m || !repo || (repo.private && !authorization))
      return send(res, 404, {
        message: 'Not Found',
        documentation_url: `${DOCS}/repos/repos#get-a-repository`,
        status: '404',
      })
    const fullName = `${repo.owner}/${repo.name}`
    if (!m[3] && req.method === 'GET')
      return send(res, 200, {
        id: 1296269,
        node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
        name: repo.name,
        full_name: fullName,
        owner: { login: repo.owner, id: 1, type: 'User' },
        private: repo.private,
        visibility: repo.private ? 'private' : 'public',
        html_url: `https://github.com/${fullName}`,
        clone_url: `https://github.com/${fullName}.git`,
        default_branch: repo.defaultBranch,
        permissions: authorization
          ? { admin: false, maintain: false, push: repo.push, triage: true, pull: true }
          : undefined,
      })
    if (m[3] && req.method === 'POST') {
      if (!authorization)
        return send(res, 401, {
          message: 'Requires authentication',
          documentation_url: DOCS,
          status: '401',
        })
      const input = body as { title?: string; head?: string; base?: string; body?: string }
      const invalid = [
        ...(!input.head || (repo.hasBranch && !repo.hasBranch(input.head)) ? ['head'] : []),
        ...(!input.base || (repo.hasBranch && !repo.hasBranch(input.base)) ? ['base'] : []),
      ]
      if (invalid.length > 0)
        return send(res, 422, {
          message: 'Validation Failed',
          errors: invalid.map((field) => ({ resource: 'PullRequest', field, code: 'invalid' })),
          documentation_url: `${DOCS}/pulls/pulls#create-a-pull-request`,
          status: '422',
        })
      const number = ++pullNumber
      return send(res, 201, {
        url: `${state.url}/repos/${fullName}/pulls/${number}`,
        id: 1000 + number,
        html_url: `https://github.com/${fullName}/pull/${number}`,
        number,
        state: 'open',
        title: input.title,
        body: input.body ?? null,
        head: { label: `${repo.owner}:${input.head}`, ref: input.head },
        base: { label: `${repo.owner}:${input.base}`, ref: input.base },
      })
    }
    return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return state
}
