import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startServer } from '../src/server.ts'
import { runCli } from './support/run-cli.ts'

const root = mkdtempSync(join(tmpdir(), 'gitpg-embedded-'))
// the embedded PostgreSQL runs as user postgres when the tests run as root: let it in
chmodSync(root, 0o755)
afterAll(() => rmSync(root, { recursive: true, force: true }))

const start = async (cwd: string, printed: string[] = []) =>
  startServer({
    env: { PORT: '0', GITPG_LOG_LEVEL: 'silent' },
    cwd,
    print: (line) => printed.push(line),
  })

const dirIn = (name: string) => {
  const dir = join(root, name)
  mkdirSync(dir)
  return dir
}

/** Whether PostgreSQL runs on the data dir (its `postmaster.pid` names a live process). */
const postgresRunning = (dataDir: string) =>
  spawnSync('sh', ['-c', `kill -0 "$(head -1 ${join(dataDir, 'postgres', 'postmaster.pid')})"`])
    .status === 0

describe('embedded database (no DATABASE_URL)', () => {
  it('runs PostgreSQL in GITPG_DATA_DIR, keeps data and key across a restart, stops with the server', async () => {
    const cwd = dirIn('restart')
    const dataDir = join(cwd, '.gitpg')
    const firstOut: string[] = []
    const first = await start(cwd, firstOut)
    const key = first.apiKey
    const headers = { 'X-Internal-API-Key': key }
    let commit: string
    try {
      expect(firstOut[1]).toBe(`database: embedded PostgreSQL in ${join(dataDir, 'postgres')}`)
      expect(firstOut.join('\n')).toContain(key)
      expect(postgresRunning(dataDir)).toBe(true)
      expect((await fetch(`${first.url}/health`)).status).toBe(200)
      expect((await fetch(`${first.url}/projects/local`, { method: 'PUT', headers })).status).toBe(
        201,
      )
      const put = await fetch(`${first.url}/files/local/a.md`, {
        method: 'PUT',
        headers,
        body: 'kept\n',
      })
      expect(put.status).toBe(201)
      commit = ((await put.json()) as { commit: string }).commit
      const saved = await fetch(`${first.url}/pending/local/ada/b.md`, {
        method: 'PUT',
        headers,
        body: 'draft',
      })
      expect(saved.status).toBe(200)
    } finally {
      await first.close()
    }
    expect(postgresRunning(dataDir)).toBe(false)

    const secondOut: string[] = []
    const second = await start(cwd, secondOut)
    try {
      expect(second.apiKey).toBe(key)
      expect(secondOut.join('\n')).not.toContain(key)
      const project = await fetch(`${second.url}/projects/local`, { headers })
      expect(((await project.json()) as { head: string }).head).toBe(commit)
      expect(await (await fetch(`${second.url}/files/local/a.md`, { headers })).text()).toBe(
        'kept\n',
      )
      expect(await (await fetch(`${second.url}/pending/local/ada/b.md`, { headers })).text()).toBe(
        'draft',
      )
    } finally {
      await second.close()
    }
  })

  it('shares one PostgreSQL between a server and the CLI; the last one out stops it', async () => {
    const cwd = dirIn('shared')
    const dataDir = join(cwd, '.gitpg')
    const env = { DATABASE_URL: undefined, GITPG_DATA_DIR: dataDir, INIT_CWD: cwd }
    const server = await start(cwd)
    const headers = { 'X-Internal-API-Key': server.apiKey }
    try {
      await fetch(`${server.url}/projects/both`, { method: 'PUT', headers })
      const put = await fetch(`${server.url}/files/both/x.txt`, {
        method: 'PUT',
        headers,
        body: 'x\n',
      })
      expect(put.status).toBe(201)
      const out = join(cwd, 'exported')
      const exported = await runCli({ args: ['export', 'both', out], env })
      expect(exported).toMatchObject({
        code: 0,
        stderr: expect.stringContaining('writing objects...'),
      })
      expect(spawnSync('git', ['-C', out, 'show', 'HEAD:x.txt']).stdout.toString()).toBe('x\n')
      // the command is gone, the server still works on the same PostgreSQL
      expect(postgresRunning(dataDir)).toBe(true)
      expect((await fetch(`${server.url}/files/both/x.txt`, { headers })).status).toBe(200)
      // and a second server shares it too
      const other = await start(cwd)
      expect((await fetch(`${other.url}/files/both/x.txt`, { headers })).status).toBe(200)
      await other.close()
      expect(postgresRunning(dataDir)).toBe(true)
    } finally {
      await server.close()
    }
    expect(postgresRunning(dataDir)).toBe(false)
    expect(readdirSync(join(dataDir, 'leases'))).toEqual([])

    // a CLI command alone starts PostgreSQL and stops it when done
    const again = await runCli({ args: ['export', 'both', join(cwd, 'again'), '--bare'], env })
    expect(again).toMatchObject({ code: 0, stderr: expect.stringContaining('writing objects...') })
    expect(postgresRunning(dataDir)).toBe(false)
  })

  it('drops the lease of a process that died: the last live user still stops PostgreSQL', async () => {
    const cwd = dirIn('crashed')
    const dataDir = join(cwd, '.gitpg')
    const server = await start(cwd)
    // a holder that crashed without giving its lease back: its process no longer exists
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
    writeFileSync(join(dataDir, 'leases', `${dead.stdout.toString()}.deadbeef`), '')
    await server.close()
    expect(postgresRunning(dataDir)).toBe(false)
    expect(readdirSync(join(dataDir, 'leases'))).toEqual([])
  })

  it('refuses a data dir of the earlier PGlite database and says how to move it', async () => {
    const cwd = dirIn('pglite')
    mkdirSync(join(cwd, '.gitpg', 'pgdata'), { recursive: true })
    writeFileSync(join(cwd, '.gitpg', 'pgdata', 'PG_VERSION'), '17\n')
    await expect(start(cwd)).rejects.toThrow(/earlier gitpg \(PGlite\).*gitpg export/)
  })
})
