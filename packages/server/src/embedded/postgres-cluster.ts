import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFile, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PostgresBinaries } from './postgres-binaries.ts'
import type { PostgresAccount } from './postgres-user.ts'

/** One PostgreSQL data directory and how to run its server. */
export interface Cluster {
  binaries: PostgresBinaries
  /** PostgreSQL's data directory (`PGDATA`) */
  pgdata: string
  account: PostgresAccount
}

/** Settings written once into the new cluster's `postgresql.conf`. */
const SETTINGS = [
  // loopback TCP only: no Unix socket, whose directory may not exist or be writable
  "listen_addresses = '127.0.0.1'",
  "unix_socket_directories = ''",
  // one gitpg server and a few CLI commands: keep the footprint small
  'max_connections = 40',
  'shared_buffers = 64MB',
  "log_min_messages = 'warning'",
]

/** Runs a PostgreSQL program as the cluster's account; rejects with its output on failure. */
function runProgram(cluster: Cluster, program: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      ...cluster.account,
      cwd: tmpdir(),
      // its own session: a Ctrl-C meant for one gitpg command must not reach the shared server
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(output.trim() || `exit code ${code}`)),
    )
  })
}

/**
 * Creates the cluster: `initdb` with a password for `postgres` (scram-sha-256), and gitpg's
 * settings.
 */
export async function initCluster(cluster: Cluster, password: string): Promise<void> {
  await mkdir(cluster.pgdata, { recursive: true, mode: 0o700 })
  const pwfile = join(tmpdir(), `gitpg-pw-${randomBytes(6).toString('hex')}`)
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 })
  try {
    if (cluster.account.uid !== undefined) {
      await chown(cluster.pgdata, cluster.account.uid, cluster.account.gid!)
      await chown(pwfile, cluster.account.uid, cluster.account.gid!)
    }
    await runProgram(cluster, cluster.binaries.initdb, [
      `--pgdata=${cluster.pgdata}`,
      '--username=postgres',
      '--auth=scram-sha-256',
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      '--no-locale',
    ])
  } finally {
    await rm(pwfile, { force: true })
  }
  await appendFile(join(cluster.pgdata, 'postgresql.conf'), `\n# gitpg\n${SETTINGS.join('\n')}\n`)
}

/** The running server of a cluster, from its `postmaster.pid`; null when none runs. */
export async function runningServer(
  cluster: Cluster,
): Promise<{ pid: number; port: number } | null> {
  const text = await readFile(join(cluster.pgdata, 'postmaster.pid'), 'utf8').catch(() => null)
  if (text === null) return null
  const lines = text.split('\n')
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!pid || !port || !alive(pid)) return null
  return { pid, port }
}

/** Whether process `pid` exists (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

/**
 * Starts the cluster's server on a free loopback port and waits until it accepts connections.
 * The server runs detached: it outlives the process that started it, for the others sharing it.
 */
export async function startCluster(cluster: Cluster): Promise<number> {
  const log = join(cluster.pgdata, 'postgres.log')
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    try {
      await runProgram(cluster, cluster.binaries.pgCtl, [
        'start',
        '--wait',
        '--timeout=60',
        `--pgdata=${cluster.pgdata}`,
        `--log=${log}`,
        `--options=-p ${port}`,
      ])
      return port
    } catch (err) {
      const tail = (await readFile(log, 'utf8').catch(() => '')).split('\n').slice(-6).join('\n')
      if (attempt < 3 && /already in use/i.test(tail)) continue
      throw new Error(
        `the embedded PostgreSQL in ${cluster.pgdata} did not start: ${(err as Error).message} ${tail}`.trim(),
      )
    }
  }
}

/** Stops the cluster's server with a fast shutdown: sessions are ended, nothing is lost. */
export async function stopCluster(cluster: Cluster): Promise<void> {
  await runProgram(cluster, cluster.binaries.pgCtl, [
    'stop',
    '--wait',
    '--mode=fast',
    `--pgdata=${cluster.pgdata}`,
  ])
}
