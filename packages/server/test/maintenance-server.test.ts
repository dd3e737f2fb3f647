import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../src/server.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { createClient, GitpgError, type GitpgClient } from '../../client/src/index.ts'

const KEY = 'maintenance-key-0123456789'
let database: TestDatabase
let server: RunningServer
let client: GitpgClient
let dataDir: string
const logLines: Record<string, unknown>[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  dataDir = mkdtempSync(join(tmpdir(), 'gitpg-maint-'))
  server = await startServer({
    env: {
      DATABASE_URL: database.url,
      PORT: '0',
      GITPG_API_KEY: KEY,
      GITPG_DATA_DIR: dataDir,
      GITPG_MAINTENANCE_INTERVAL: '1s',
      GITPG_PRUNE_EXPIRE: '2.weeks.ago',
    },
    cwd: dataDir,
    print: () => {},
    logDestination: new Writable({
      write(chunk, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean))
          logLines.push(JSON.parse(line))
        done()
      },
    }),
  })
  client = createClient({ baseUrl: server.url, apiKey: KEY })
})
afterAll(async () => {
  await server?.close()
  await database?.drop()
  rmSync(dataDir, { recursive: true, force: true })
})

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read()
    if (ok(value) || i === 300) return value
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** `fn`, again while the background job holds the project (409 MAINTENANCE_RUNNING). */
async function unlessBusy<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn()
    } catch (err) {
      if (!(err instanceof GitpgError) || err.code !== 'MAINTENANCE_RUNNING' || i === 100) throw err
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

describe('maintenance in a running server', () => {
  it('the background job maintains a changed project and logs what it did', async () => {
    await client.projects.create('bg')
    await client.files.write({ project: 'bg', path: 'a.txt', content: 'a\n' })
    const storage = await until(
      () => client.projects.storage('bg'),
      (s) => s.lastMaintenance !== null,
    )
    expect(storage.lastMaintenance?.report.gc.reachable).toBe(storage.objects)
    // the run is recorded before it is logged
    const done = await until(
      async () => logLines.find((l) => l.msg === 'maintenance: project done'),
      (l) => l !== undefined,
    )
    expect(done).toMatchObject({ project: 'bg', removed: 0, bytesFreed: 0 })
  })

  it('runs on request and reports storage through the typed client', async () => {
    await client.projects.create('typed')
    await client.files.write({ project: 'typed', path: 'a.txt', content: 'one\n' })
    await client.branches.create({ project: 'typed', name: 'side' })
    await client.files.write({ project: 'typed', path: 'a.txt', content: 'two\n', branch: 'side' })
    await client.branches.delete({ project: 'typed', name: 'side' })
    const before = await unlessBusy(() =>
      client.projects.storage('typed', { reclaimable: true, prune: 'now' }),
    )
    expect(before.reclaimable?.objects).toBe(3)
    const report = await unlessBusy(() => client.projects.maintain('typed', { prune: 'now' }))
    expect(report.gc.deleted).toBe(3)
    const after = await client.projects.storage('typed')
    expect(after.objects).toBe(before.objects - 3)
    const error = await client.projects.maintain('typed', { prune: 'soon' }).catch((e) => e)
    expect(error).toBeInstanceOf(GitpgError)
    expect([error.status, error.code]).toEqual([400, 'INVALID_PRUNE_AGE'])
  })

  it('`gitpg maintenance` runs as its own process while the server runs', async () => {
    const main = new URL('../src/cli/main.ts', import.meta.url).pathname
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', main, 'maintenance', 'typed', '--prune=now', '--json'],
        { env: { ...process.env, DATABASE_URL: database.url } },
        (err, out) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout: out }),
      ),
    )
    expect(code).toBe(0)
    const line = JSON.parse(stdout)
    expect(line.project).toBe('typed')
    // the background job may hold the project at that moment: then the command says so
    if (line.skipped) expect(line.report).toBeNull()
    else expect(line.report.gc.deleted).toBe(0)
  })
})
