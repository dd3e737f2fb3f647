import { Writable } from 'node:stream'
import type { DestinationStream } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError } from '../src/errors.ts'
import { createLogger } from '../src/logger.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const SECRET = 's3cr3t-value-never-logged'
const API_KEY = 'logger-test-api-key-0123456789'

function capture() {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  return { lines, destination: destination as unknown as DestinationStream }
}

describe('createLogger', () => {
  it('leaves out tokens, passwords, keys and credential headers wherever they sit', () => {
    const { lines, destination } = capture()
    const logger = createLogger({ level: 'trace', destination })
    logger.info({ token: SECRET, apiKey: SECRET, githubToken: SECRET }, 'top')
    logger.info({ body: { token: SECRET, defaultToken: SECRET, password: SECRET } }, 'nested')
    logger.info(
      {
        headers: { authorization: `Basic ${SECRET}`, cookie: SECRET, 'x-internal-api-key': SECRET },
        req: { headers: { authorization: SECRET, 'x-internal-api-key': SECRET } },
      },
      'headers',
    )
    logger.error({ err: new ApiError('INTERNAL', 'boom', { token: SECRET }) }, 'error')
    expect(lines).toHaveLength(4)
    expect(lines.join('')).not.toContain(SECRET)
    expect(lines.join('')).toContain('boom')
  })
})

describe('the request log', () => {
  const { lines, destination } = capture()
  let testApp: TestApp

  beforeAll(async () => {
    testApp = await createTestApp({
      config: { apiKey: API_KEY, githubToken: SECRET },
      logger: createLogger({ level: 'trace', destination }),
    })
  })

  afterAll(() => testApp?.close())

  it('never holds a header, query string or body, on success or failure', async () => {
    const requests: [string, RequestInit][] = [
      [`/projects/p1?token=${SECRET}`, { headers: { 'X-Internal-API-Key': API_KEY } }],
      [
        '/projects/p1',
        {
          method: 'PUT',
          headers: { 'X-Internal-API-Key': API_KEY, Authorization: SECRET, Cookie: SECRET },
        },
      ],
      [`/projects/p1?password=${SECRET}`, { headers: { 'X-Internal-API-Key': SECRET } }],
      [
        '/projects/p1/import',
        {
          method: 'POST',
          headers: { 'X-Internal-API-Key': API_KEY, 'Content-Type': 'application/json' },
          body: JSON.stringify({ url: `http://u:${SECRET}@127.0.0.1:1/r.git`, token: SECRET }),
        },
      ],
    ]
    const statuses: number[] = []
    for (const [path, init] of requests)
      statuses.push((await testApp.app.request(path, init)).status)
    expect(statuses.slice(0, 3)).toEqual([404, 201, 401])
    expect(statuses[3]).toBeGreaterThanOrEqual(400)
    const logged = lines.join('')
    expect(lines.length).toBeGreaterThanOrEqual(requests.length)
    for (const secret of [SECRET, API_KEY]) expect(logged).not.toContain(secret)
  })
})
