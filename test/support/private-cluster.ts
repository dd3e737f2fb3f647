import { execFileSync } from 'node:child_process'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A PostgreSQL cluster of a test's own (initdb, pg_ctl from the local installation), for tests
 * that must stop and start the server itself. Throws when PostgreSQL's binaries are missing.
 */
export class PrivateCluster {
  readonly url: string
  readonly #dir: string
  readonly #port: number
  readonly #bin: string

  private constructor(dir: string, port: number, bin: string) {
    this.#dir = dir
    this.#port = port
    this.#bin = bin
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`
  }

  static async create(): Promise<PrivateCluster> {
    let bin: string
    try {
      bin = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim()
    } catch {
      throw new Error(
        'this test needs PostgreSQL server binaries (pg_config --bindir) on the machine',
      )
    }
    const dir = mkdtempSync(join(tmpdir(), 'gitpg-cluster-'))
    // PostgreSQL refuses to run as root: run it as the postgres user then.
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }))
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }))
      chownSync(dir, uid, gid)
    }
    const port = await freePort()
    const cluster = new PrivateCluster(dir, port, bin)
    cluster.#run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync'])
    cluster.start()
    return cluster
  }

  start(): void {
    this.#run('pg_ctl', [
      '-D',
      join(this.#dir, 'data'),
      '-l',
      join(this.#dir, 'log'),
      '-w',
      '-o',
      `-p ${this.#port} -k ${this.#dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ])
  }

  /** Stops at once, as a crash or `kill -9` of the postmaster would: no clean shutdown. */
  kill(): void {
    this.#run('pg_ctl', ['-D', join(this.#dir, 'data'), '-m', 'immediate', '-w', 'stop'])
  }

  destroy(): void {
    try {
      this.#run('pg_ctl', ['-D', join(this.#dir, 'data'), '-m', 'immediate', '-w', 'stop'])
    } catch {
      // already stopped
    }
    rmSync(this.#dir, { recursive: true, force: true })
  }

  #run(tool: string, args: string[]) {
    const path = join(this.#bin, tool)
    const [cmd, all] =
      process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args]
    execFileSync(cmd, all, { stdio: ['ignore', 'ignore', 'pipe'], cwd: this.#dir })
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}
