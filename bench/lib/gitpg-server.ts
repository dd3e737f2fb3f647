import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, openSync, closeSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { procStatusBytes } from './rss-sampler.ts'

const ROOT = new URL('../..', import.meta.url).pathname
const MAIN = join(ROOT, 'packages/server/src/cli/main.ts')
/**
 * The server runs compiled, with plain `node`, as `pnpm start` runs it (`pnpm bench` builds
 * first): no TypeScript loader in its memory (about 45 MB of RSS at rest).
 * `GITPG_BENCH_SOURCE=1` runs the sources through `tsx` instead.
 */
const COMPILED = process.env.GITPG_BENCH_SOURCE !== '1'
const COMPILED_MAIN = join(ROOT, 'packages/server/dist/cli/main.js')
export const API_KEY = 'bench-api-key-0123456789abcdef'

export const serverBuilt = () => existsSync(COMPILED ? COMPILED_MAIN : MAIN)

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const port = (srv.address() as { port: number }).port
  await new Promise((resolve) => srv.close(resolve))
  return port
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

  /**
   * Starts a server and waits until `/health` answers. `settings` are gitpg variables set over the
   * environment's; the default lifts the body limit for the imports and loads of the main run.
   */
  static async start({
    databaseUrl,
    logFile,
    settings = { GITPG_BODY_LIMIT: '1gb' },
  }: {
    databaseUrl: string
    logFile: string
    settings?: Record<string, string>
  }) {
    const port = await freePort()
    const log = openSync(logFile, 'a')
    const child = spawn(
      process.execPath,
      COMPILED
        ? [COMPILED_MAIN, 'serve']
        : ['--conditions=@gitpg/source', '--import', 'tsx', MAIN, 'serve'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          PORT: String(port),
          HOST: '127.0.0.1',
          GITPG_API_KEY: API_KEY,
          GITPG_LOG_LEVEL: 'info',
          // no background maintenance pass in the middle of a timed operation: the maintenance
          // step asks for its runs
          GITPG_MAINTENANCE_INTERVAL: '0',
          ...settings,
        },
        stdio: ['ignore', log, log],
      },
    )
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
    return procStatusBytes(this.pid, 'VmRSS') ?? NaN
  }

  peakRss(): number {
    return procStatusBytes(this.pid, 'VmHWM') ?? NaN
  }

  /** How the process ended (`exit 1`, `SIGABRT`), or null while it runs. */
  get exited(): string | null {
    const { exitCode, signalCode } = this.#child
    if (signalCode !== null) return signalCode
    return exitCode === null ? null : `exit ${exitCode}`
  }

  /** Ends the process at once (SIGKILL), as the kernel's OOM killer would. */
  kill(): void {
    this.#child.kill('SIGKILL')
  }

  async stop(): Promise<void> {
    if (this.exited !== null) return
    const exited = new Promise((resolve) => this.#child.once('exit', resolve))
    this.#child.kill('SIGTERM')
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
}
