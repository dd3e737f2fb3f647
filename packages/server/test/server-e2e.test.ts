import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../src/server.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { createClient, GitpgError, type GitpgClient } from '../../client/src/index.ts'

const KEY = 'e2e-key-0123456789abcdef'
let database: TestDatabase
let server: RunningServer
/** the typed client, so these end-to-end tests also check it against the real server */
let client: GitpgClient
let dataDir: string
const printed: string[] = []
const logLines: string[] = []

const logSink = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(...chunk.toString().split('\n').filter(Boolean))
    done()
  },
})

beforeAll(async () => {
  database = await createTestDatabase()
  dataDir = mkdtempSync(join(tmpdir(), 'gitpg-e2e-'))
  server = await startServer({
    env: { DATABASE_URL: database.url, PORT: '0', GITPG_API_KEY: KEY, GITPG_DATA_DIR: dataDir },
    cwd: dataDir,
    print: (line) => printed.push(line),
    logDestination: logSink,
  })
  client = createClient({ baseUrl: server.url, apiKey: KEY })
})
afterAll(async () => {
  await server?.close()
  await database?.drop()
  rmSync(dataDir, { recursive: true, force: true })
})

async function http(
  method: string,
  path: string,
  init: { body?: string; json?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { 'X-Internal-API-Key': KEY, ...init.headers }
  let body = init.body
  if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(init.json)
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, body })
  const text = await res.text()
  let json: any = null // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text)
  } catch {
    json = null
  }
  return { status: res.status, headers: res.headers, text, json }
}

describe('server over a real socket', () => {
  it('prints where it listens and which database, never the configured key', () => {
    expect(printed[0]).toBe(`gitpg listening on ${server.url}`)
    expect(printed[1]).toMatch(/^database: PostgreSQL at postgres:\/\//)
    expect(printed.join('\n')).not.toContain(KEY)
  })

  it('serves health without a key and everything else with it', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200)
    expect((await fetch(`${server.url}/projects/x`)).status).toBe(401)
    expect((await http('PUT', '/projects/e2e')).status).toBe(201)
  })

  it('autosave, overlay read, commit and history in one flow', async () => {
    const doc = { project: 'e2e', path: 'doc.md' }
    await client.files.write({ ...doc, content: 'v1\n' })
    const saved = await http('PUT', '/pending/e2e/ada/doc.md', { body: 'v2 secret content\n' })
    expect(saved.status).toBe(200)
    expect(saved.headers.get('etag')).toBe(`"${saved.json.version}"`)
    expect(await client.files.readText({ ...doc, userId: 'ada' })).toBe('v2 secret content\n')
    expect(await client.files.readText(doc)).toBe('v1\n')
    const commit = await client.commits.create({
      project: 'e2e',
      userId: 'ada',
      message: 'save',
      author: { name: 'Ada', email: 'ada@x' },
    })
    const log = await client.log({ project: 'e2e' })
    expect(log.commits[0].oid).toBe(commit.commit)
    expect((await client.pending.list({ project: 'e2e', userId: 'ada' })).changes).toEqual([])
  })

  it('412 race between two clients on the same pending version', async () => {
    const bob = { project: 'e2e', userId: 'bob', path: 'race.md' }
    const { version } = await client.pending.save({ ...bob, content: 'base' })
    const results = await Promise.allSettled(
      ['tab A', 'tab B'].map((content) =>
        client.pending.save({ ...bob, content, ifMatch: version }),
      ),
    )
    const winner = results.find((r) => r.status === 'fulfilled')
    const loser = results.find((r) => r.status === 'rejected')
    expect(loser?.reason).toBeInstanceOf(GitpgError)
    expect([loser?.reason.code, loser?.reason.status]).toEqual(['PRECONDITION_FAILED', 412])
    expect(loser?.reason.data.currentVersion).toBe(winner?.value.version)
  })

  it('409 race between two clients committing on the same head', async () => {
    const head = (await client.projects.get('e2e')).head!
    await client.pending.save({ project: 'e2e', userId: 'u1', path: 'one.md', content: '1' })
    await client.pending.save({ project: 'e2e', userId: 'u2', path: 'two.md', content: '2' })
    const results = await Promise.allSettled(
      ['u1', 'u2'].map((userId) =>
        client.commits.create({
          project: 'e2e',
          userId,
          message: userId,
          author: { name: userId, email: 'u@x' },
          expectedHead: head,
        }),
      ),
    )
    const winner = results.find((r) => r.status === 'fulfilled')
    const loser = results.find((r) => r.status === 'rejected')
    expect([loser?.reason.code, loser?.reason.status]).toEqual(['REF_CONFLICT', 409])
    expect(loser?.reason.data.head).toBe(winner?.value.commit)
  })

  it('logs JSON lines with request ids and without bodies or the key', async () => {
    await http('GET', '/health', { headers: { 'X-Request-Id': 'trace-me' } })
    const entries = logLines.map((l) => JSON.parse(l))
    expect(
      entries.some((e) => e.requestId === 'trace-me' && e.path === '/health' && e.status === 200),
    ).toBe(true)
    expect(entries.every((e) => typeof e.requestId === 'string' || e.msg !== 'request')).toBe(true)
    const all = logLines.join('\n')
    expect(all).not.toContain(KEY)
    expect(all).not.toContain('secret content')
  })

  it('close() lets an in-flight request finish, then refuses connections', async () => {
    // a request whose body is still arriving when close() is called
    let sendRest!: () => void
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('first half, '))
        await new Promise<void>((resolve) => (sendRest = resolve))
        controller.enqueue(new TextEncoder().encode('second half'))
        controller.close()
      },
    })
    const arrived = new Promise((resolve) => server.http.once('request', resolve))
    const inFlight = fetch(`${server.url}/pending/e2e/slow/upload.md`, {
      method: 'PUT',
      headers: { 'X-Internal-API-Key': KEY },
      body,
      duplex: 'half',
    } as RequestInit)
    await arrived
    const closing = server.close()
    // closing has begun: new connections are refused while the request is still in flight
    await expect(fetch(`${server.url}/health`)).rejects.toThrow()
    sendRest()
    const res = await inFlight
    expect(res.status).toBe(200)
    expect(((await res.json()) as { size: number }).size).toBe('first half, second half'.length)
    await closing
    await expect(fetch(`${server.url}/health`)).rejects.toThrow()
  })
})

describe('gitpg serve process', () => {
  it('starts, answers, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitpg-serve-'))
    const db = await createTestDatabase()
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', new URL('../src/cli/main.ts', import.meta.url).pathname, 'serve'],
        {
          env: {
            ...process.env,
            DATABASE_URL: db.url,
            PORT: '0',
            GITPG_DATA_DIR: dir,
            GITPG_LOG_LEVEL: 'warn',
            GITPG_API_KEY: '',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 30_000)
        child.stdout.on('data', () => {
          const m = /listening on (http:\/\/\S+)/.exec(out)
          if (m && /API key/.test(out) && out.trim().split('\n').length >= 4) {
            clearTimeout(timer)
            resolve(m[1])
          }
        })
      })
      const key = out.trim().split('\n').at(-1)!.trim()
      expect(out).toContain(`saved in ${join(dir, 'api-key')}`)
      const res = await fetch(`${url}/projects/x`, { headers: { 'X-Internal-API-Key': key } })
      expect(res.status).toBe(404)
      const exit = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      )
      child.kill('SIGTERM')
      expect(await exit).toBe(0)
    } finally {
      await db.drop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
