import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, openSync, readFileSync, closeSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

const ROOT = new URL('../..', import.meta.url).pathname
const MAIN = join(ROOT, 'packages/server/src/cli/main.ts')
export const API_KEY = 'bench-api-key-0123456789abcdef'

export const serverBuilt = () => existsSync(MAIN)

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const port = (srv.address() as { port: number }).port
  await new Promise((resolve) => srv.close(resolve))
  return port
}

/** Reads a field of /proc/<pid>/status in bytes (VmRSS: now, VmHWM: peak). */
function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) * 1024 : NaN
}

/**
 * A gitpg server in its own process (`gitpg serve`, as users start it), so its memory is its own
 * and a restart gives a cold server. Request logs go to `logFile`.
 */
export class GitpgServer {
  readonly url: string
  readonly #child: ChildProcess

  private constructor(url: string, child: ChildProcess) {
    this.url = url
    this.#child = child
  }

  static async start({ databaseUrl, logFile }: { databaseUrl: string; logFile: string }) {
    const port = await freePort()
    const log = openSync(logFile, 'a')
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        GITPG_API_KEY: API_KEY,
        GITPG_LOG_LEVEL: 'info',
        GITPG_BODY_LIMIT: '1gb',
      },
      stdio: ['ignore', log, log],
    })
    closeSync(log)
    const server = new GitpgServer(`http://127.0.0.1:${port}`, child)
    const deadline = Date.now() + 60_000
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`gitpg serve exited ${child.exitCode}; see ${logFile}`)
      try {
        if ((await fetch(`${server.url}/health`)).ok) return server
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`gitpg serve did not become healthy; see ${logFile}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  get pid(): number {
    return this.#child.pid!
  }

  rss(): number {
    return procStatusBytes(this.pid, 'VmRSS')
  }

  peakRss(): number {
    return procStatusBytes(this.pid, 'VmHWM')
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return
    const exited = new Promise((resolve) => this.#child.once('exit', resolve))
    this.#child.kill('SIGTERM')
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
}
