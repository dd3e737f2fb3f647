import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database, PostgresStore, Repository } from '@gitpg/git-pg-fs'
import { startGitHttpServer, type TestHttpServer } from '../../sync/test/support/git-http-server.ts'
import { startRecordingProxy } from '../../sync/test/support/recording-proxy.ts'
import { RemoteRepo } from '../../sync/test/support/remote-repo.ts'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import { progressPrinter } from '../src/cli/commands/progress-printer.ts'
import { runCli, type CliResult } from './support/run-cli.ts'

const TOKEN = 'cli-token'
let root: string
let server: TestHttpServer
let database: TestDatabase
let db: Database

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gitpg-sync-cli-'))
  server = await startGitHttpServer({ root, token: TOKEN })
  database = await createTestDatabase()
  db = new Database({ connectionString: database.url })
})

afterAll(async () => {
  await db?.close()
  await database?.drop()
  await server?.close()
  rmSync(root, { recursive: true, force: true })
})

function gitpg(...args: string[]): Promise<CliResult> {
  return gitpgWith({}, ...args)
}

/** `gitpg <args>` in this process through the CLI's `main`, with `env` over the environment. */
function gitpgWith(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return runCli({ args, env: { DATABASE_URL: database.url, GITHUB_TOKEN: '', ...env } })
}

describe('gitpg import, pull and push', () => {
  it('imports from a URL, pulls and pushes, printing plain progress off a terminal', async () => {
    const remote = new RemoteRepo(root, 'cli')
    remote.commit({ 'a.txt': 'a\n' }, 'one')
    remote.commit({ 'b.txt': 'b\n' }, 'two')
    const url = `${server.url}/cli.git`

    const imported = await gitpg('import', url, '--project', 'cli', '--token', TOKEN)
    expect(imported.stderr).toMatch(/^receiving\.\.\.$/m)
    expect(imported.code).toBe(0)
    expect(imported.stdout).toBe(
      `created project cli: main at ${remote.head().slice(0, 7)}, 6 objects received\n`,
    )
    const store = new PostgresStore({ db })
    const repo = await Repository.open({ store, name: 'cli' })
    expect((await repo.log()).commits.map((c) => c.oid)).toEqual(remote.revList())

    const from = remote.head()
    remote.commit({ 'c.txt': 'c\n' }, 'three')
    const pulled = await gitpg('pull', 'cli', '--token', TOKEN)
    expect(pulled.code).toBe(0)
    expect(pulled.stdout).toBe(
      `main: ${from.slice(0, 7)}..${remote.head().slice(0, 7)}, 1 paths changed\n`,
    )

    const local = await repo.commit({
      branch: 'main',
      changes: [{ path: 'd.txt', action: 'write', content: Buffer.from('d\n') }],
      message: 'four',
      author: { name: 'Ada', email: 'ada@example.com' },
    })
    const pushed = await gitpg('push', 'cli', '--token', TOKEN)
    expect(pushed.code).toBe(0)
    expect(pushed.stdout).toMatch(/^pushed main to main: [0-9a-f]{7}\.\.[0-9a-f]{7}, 3 objects\n$/)
    expect(remote.head()).toBe(local.oid)
  })

  it('sends GITHUB_TOKEN to GITHUB_URL only, never to the URL given', async () => {
    const remote = new RemoteRepo(root, 'cli-secret')
    remote.commit({ 'a.txt': 'a\n' }, 'one')
    const elsewhere = await startRecordingProxy({ target: server.url })
    try {
      const env = { GITHUB_TOKEN: TOKEN, GITHUB_URL: 'https://github.com' }
      const url = `${elsewhere.url}/cli-secret.git`
      const refused = await gitpgWith(env, 'import', url, '--project', 'cli-secret')
      expect(refused.code).not.toBe(0)
      expect(refused.stderr).toMatch(/authentication required/)
      expect(elsewhere.seen.length).toBeGreaterThan(0)
      expect(elsewhere.seen.filter((s) => s.authorization !== null)).toEqual([])
    } finally {
      await elsewhere.close()
    }
  })

  it('fails with one line and a non-zero exit code', async () => {
    const bad = await gitpg('import', `${server.url}/cli.git`, '--project', 'x', '--token', 'bad')
    expect(bad.code).toBe(1)
    expect(bad.stderr.trim().split('\n').at(-1)).toMatch(
      /^gitpg import: .*authentication required or token refused$/,
    )
    const missing = await gitpg('import', `${server.url}/cli.git`)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe('gitpg import: --project <id> is required\n')
    const none = await gitpg('pull', 'nope')
    expect(none.code).toBe(1)
    expect(none.stderr).toBe('gitpg pull: repository nope does not exist\n')
    const help = await gitpg('push', '--help')
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: gitpg push <project>/)
  })
})

describe('progressPrinter', () => {
  function capture() {
    const out: string[] = []
    const stream = {
      write: (s: string) => out.push(s),
      columns: 80,
    } as unknown as NodeJS.WriteStream
    return { out, stream }
  }

  it('redraws one line with a bar on a terminal', () => {
    const { out, stream } = capture()
    const print = progressPrinter(stream, true)
    print({ phase: 'connecting' })
    print({ phase: 'negotiating', message: 'Counting objects:  45% (9/20)' })
    print({ phase: 'receiving', bytes: 2048, objects: 20 })
    print({ phase: 'done', objects: 20 })
    print.finish()
    expect(out.every((l, i) => l.startsWith('\r\x1b[2K') || i === out.length - 1)).toBe(true)
    expect(out[1]).toContain('[###########-------------]  45% Counting objects')
    expect(out[2]).toContain('receiving · 2.0 KiB · 20 objects')
    expect(out[3]).toContain('[########################] 100% done')
    expect(out.at(-1)).toBe('\n')
  })

  it('prints one plain line per phase elsewhere', () => {
    const { out, stream } = capture()
    const print = progressPrinter(stream, false)
    print({ phase: 'connecting' })
    print({ phase: 'connecting' })
    print({ phase: 'negotiating', message: 'Counting objects:  45% (9/20)' })
    print({ phase: 'receiving', bytes: 1024 })
    print({ phase: 'receiving', bytes: 4096, objects: 3 })
    print({ phase: 'done', objects: 3 })
    print.finish()
    expect(out.join('')).toBe(
      'connecting\nreceiving...\nreceiving · 4.0 KiB · 3 objects\ndone · 3 objects\n',
    )
  })
})
