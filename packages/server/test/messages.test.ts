import { createServer, type Server } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../src/server.ts'
import { createTestApp } from './support/test-app.ts'
import { runCli } from './support/run-cli.ts'

let dir: string
let taken: Server
let takenPort: number
let closedPort: number

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  )

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gitpg-messages-'))
  taken = createServer()
  takenPort = await listen(taken)
  const probe = createServer()
  closedPort = await listen(probe)
  await new Promise((resolve) => probe.close(resolve))
})

afterAll(() => {
  taken.close()
  rmSync(dir, { recursive: true, force: true })
})

const env = (extra: Record<string, string>) => ({
  GITPG_LOG_LEVEL: 'silent',
  GITPG_API_KEY: 'messages-test-key',
  GITPG_DATA_DIR: dir,
  ...extra,
})

describe('messages that say what to do', () => {
  it('a port in use names PORT', async () => {
    await expect(
      startServer({
        env: env({ DATABASE_URL: process.env.DATABASE_URL!, PORT: String(takenPort) }),
        cwd: dir,
        print: () => {},
      }),
    ).rejects.toThrow(new RegExp(`port ${takenPort} is in use .*set PORT to a free port`))
  })

  it('a database that does not answer is named as the database, with DATABASE_URL', async () => {
    const url = `postgres://postgres@127.0.0.1:${closedPort}/gitpg`
    await expect(
      startServer({ env: env({ DATABASE_URL: url, PORT: '0' }), cwd: dir, print: () => {} }),
    ).rejects.toThrow(/cannot use the database: nothing answers at .*set DATABASE_URL/)
    const cli = await runCli({
      args: ['export', 'p', join(dir, 'out')],
      env: { DATABASE_URL: url },
    })
    expect(cli.code).toBe(1)
    expect(cli.stderr).toMatch(
      new RegExp(
        `^gitpg export: cannot use the database: nothing answers at postgres://postgres@127.0.0.1:${closedPort}/gitpg.*DATABASE_URL`,
      ),
    )
  })

  it('a JSON route sent another type says to send application/json; If-Match with nothing pending says so', async () => {
    const t = await createTestApp()
    try {
      await t.call('PUT', '/projects/p')
      const res = await t.call('POST', '/projects/p/commits', {
        body: JSON.stringify({ userId: 'a', message: 'm', author: { name: 'a', email: 'a@b.c' } }),
        headers: { 'Content-Type': 'text/plain' },
      })
      expect(res.status).toBe(415)
      expect(((await res.json()) as { error: unknown }).error).toEqual({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'this route takes a JSON body: send it with Content-Type: application/json',
      })
      const saved = await t.call('PUT', '/pending/p/ada/x.md', {
        body: 'x',
        headers: { 'If-Match': '*' },
      })
      expect(saved.status).toBe(412)
      expect(((await saved.json()) as { error: { message: string } }).error.message).toBe(
        'x.md has no pending version for If-Match to match: send no If-Match (or If-None-Match: *) to create one',
      )
    } finally {
      await t.close()
    }
  })
})
