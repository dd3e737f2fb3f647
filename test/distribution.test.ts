import { execFile, spawn } from 'node:child_process'
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTestDatabase, type TestDatabase } from './support/database.ts'
import { exited, listeningUrl } from './support/listening.ts'

const run = promisify(execFile)
const ROOT = new URL('..', import.meta.url).pathname
const PACKAGES = join(ROOT, 'packages')
let tmp: string
let database: TestDatabase

/** The environment of a program run as a user would: no source condition, no test database. */
const userEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, GITPG_LOG_LEVEL: 'warn', ...extra }
  delete env.NODE_OPTIONS
  if (!('DATABASE_URL' in extra)) delete env.DATABASE_URL
  return env
}

/** Newest modification time of the files under `dir` (0 when it does not exist). */
async function newest(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  let latest = 0
  for (const e of entries)
    if (e.isFile()) latest = Math.max(latest, (await stat(join(e.parentPath, e.name))).mtimeMs)
  return latest
}

/** Builds the packages (`pnpm build`) when a package's dist/ is missing or older than its src/. */
async function ensureBuilt(): Promise<void> {
  for (const name of await readdir(PACKAGES)) {
    const src = await newest(join(PACKAGES, name, 'src'))
    const built = await stat(join(PACKAGES, name, 'dist', 'index.js')).catch(() => null)
    if (src > 0 && (!built || built.mtimeMs < src)) {
      await run('pnpm', ['build'], { cwd: ROOT })
      return
    }
  }
}

beforeAll(async () => {
  await ensureBuilt()
  tmp = await mkdtemp(join(tmpdir(), 'gitpg-dist-'))
  // run as root, the embedded PostgreSQL runs as user postgres: let it reach the data dir
  await chmod(tmp, 0o755)
  database = await createTestDatabase()
})

afterAll(async () => {
  await database?.drop()
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

describe('pnpm start', () => {
  it('runs the compiled server; SIGTERM to the pid pnpm start gives stops the listener', async () => {
    const child = spawn('pnpm', ['start'], {
      cwd: ROOT,
      env: userEnv({ DATABASE_URL: database.url, PORT: '0', GITPG_DATA_DIR: join(tmp, 'start') }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const url = await listeningUrl(child)
    expect((await fetch(`${url}/health`)).status).toBe(200)
    child.kill('SIGTERM')
    expect(await exited(child)).toBe(0)
    // nothing is left behind listening: the server itself got the signal
    await expect(fetch(`${url}/health`)).rejects.toThrow()
  })
})

describe('the packed packages', () => {
  it('install from their tarballs into an empty folder, and `npx gitpg serve` serves', async () => {
    const tarballs = join(tmp, 'tarballs')
    for (const name of await readdir(PACKAGES)) {
      const manifest = JSON.parse(await readFile(join(PACKAGES, name, 'package.json'), 'utf8'))
      if (manifest.private) continue
      await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(PACKAGES, name) })
    }
    const app = join(tmp, 'app')
    await run('mkdir', ['-p', app])
    await writeFile(join(app, 'package.json'), '{ "name": "app", "private": true }\n')
    const files = (await readdir(tarballs)).map((f) => join(tarballs, f))
    expect(files.some((f) => f.includes('gitpg-server-'))).toBe(true)
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...files], {
      cwd: app,
      env: userEnv({}),
    })

    // no DATABASE_URL: the installed gitpg runs its embedded PostgreSQL
    const child = spawn('npx', ['gitpg', 'serve'], {
      cwd: app,
      env: userEnv({ PORT: '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    try {
      const url = await listeningUrl(child)
      const health = await fetch(`${url}/health`)
      expect(health.status).toBe(200)
      expect(await health.json()).toEqual({ status: 'ok', database: 'up' })
      // the installed typed client, as an application would import it
      const script = `import { createClient } from '@gitpg/client'
        console.log(JSON.stringify(await createClient({ baseUrl: '${url}' }).health()))`
      const { stdout } = await run('node', ['--input-type=module', '-e', script], {
        cwd: app,
        env: userEnv({}),
      })
      expect(JSON.parse(stdout)).toEqual({ status: 'ok', database: 'up' })
    } finally {
      // npx runs gitpg through a shell: signal the whole group
      process.kill(-child.pid!, 'SIGTERM')
      await exited(child)
      // gitpg was the last user of its PostgreSQL: it stops it on the way out
      const pid = join(app, '.gitpg', 'postgres', 'postmaster.pid')
      await vi.waitFor(async () => expect(await stat(pid).catch(() => null)).toBeNull(), {
        timeout: 30_000,
        interval: 100,
      })
    }
    // packing, `npm install` and a first PostgreSQL start-up: a minute is too short on a busy
    // machine running other test files at the same time
  }, 180_000)
})
