import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ensureRepo, dataDir as benchDataDir } from '../data/generate.ts'
import { ApiClient } from '../lib/api-client.ts'
import { GitHttpBackend } from '../lib/git-http-backend.ts'
import { API_KEY } from '../lib/gitpg-server.ts'
import {
  atMost,
  failed,
  notBuilt,
  ratioAtMost,
  none,
  type Cell,
  type Report,
} from '../lib/report.ts'
import { procStatusBytes } from '../lib/rss-sampler.ts'

const ROOT = new URL('../..', import.meta.url).pathname
/** what `pnpm start` execs: the compiled server, with plain node */
const COMPILED = join(ROOT, 'packages/server/dist/cli/main.js')

interface Started {
  child: ChildProcess
  url: string
  /** from spawn to the "listening" line, in ms */
  startMs: number
}

/** Starts the compiled `gitpg serve`; resolves at its "listening" line. */
function serve(env: Record<string, string>, dropDatabaseUrl: boolean): Promise<Started> {
  const full: NodeJS.ProcessEnv = { ...process.env, PORT: '0', GITPG_API_KEY: API_KEY, ...env }
  delete full.NODE_OPTIONS
  if (dropDatabaseUrl) delete full.DATABASE_URL
  full.GITPG_LOG_LEVEL = 'warn'
  full.GITPG_BODY_LIMIT = '1gb'
  const started = performance.now()
  const child = spawn(process.execPath, [COMPILED, 'serve'], {
    env: full,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve({ child, url: m[1], startMs: performance.now() - started })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) =>
      reject(new Error(`gitpg serve exited ${code}: ${out.slice(-300)}`)),
    )
  })
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

/** Proportional set size of a process (its share of shared memory), in bytes. */
function pss(pid: number): number {
  try {
    const m = /Pss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** The embedded PostgreSQL's processes: its postmaster (from postmaster.pid) and its children. */
function postgresPids(pgdata: string): number[] {
  let postmaster: number
  try {
    postmaster = Number(readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0])
  } catch {
    return []
  }
  const pids = [postmaster]
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster)
        pids.push(Number(entry))
    } catch {
      // gone
    }
  }
  return pids
}

/** Imports `url` as `project`, sampling `sample` every 100 ms; resolves to ms taken and the peak. */
async function timedImport(api: ApiClient, project: string, url: string, sample: () => number) {
  let peak = sample()
  const timer = setInterval(() => (peak = Math.max(peak, sample())), 100)
  const started = performance.now()
  try {
    await api.json('POST', `/projects/${project}/import`, { url })
  } finally {
    clearInterval(timer)
  }
  const ms = performance.now() - started
  return { ms, peak: Math.max(peak, sample()) }
}

/**
 * The embedded PostgreSQL against system PostgreSQL, with the compiled server `pnpm start` runs:
 * time to "listening" on a new and on a warm data dir, the import of the history repository on
 * each database, and the peak memory of gitpg plus its PostgreSQL during that import (gitpg's
 * RSS plus the PostgreSQL processes' proportional share, sampled every 100 ms).
 */
export async function benchEmbedded({
  report,
  databaseUrl,
  work,
}: {
  report: Report
  databaseUrl: string
  work: string
}): Promise<void> {
  const rows = {
    cold: 'pnpm start to "listening", new data dir (embedded PostgreSQL created)',
    warm: 'pnpm start to "listening", warm data dir (embedded PostgreSQL)',
    import: 'import full history, history repository: embedded vs system PostgreSQL',
    memory: 'peak memory of gitpg + its embedded PostgreSQL during that import',
  }
  if (!existsSync(COMPILED)) {
    for (const operation of Object.values(rows))
      report.add({ operation, unit: 'ms', gitpg: notBuilt, git: none, target: atMost(0, '') })
    return
  }
  const repo = await ensureRepo('history')
  const backend = await GitHttpBackend.start(benchDataDir())
  const data = join(work, 'embedded-data')
  rmSync(data, { recursive: true, force: true })
  const env = { GITPG_DATA_DIR: data }
  let embeddedImport: Cell | null = null
  let memory: Cell | null = null
  let cold: Cell | null = null
  let warm: Cell | null = null
  let system: Cell | null = null
  let error: Cell | null = null
  try {
    const first = await serve(env, true)
    cold = { value: first.startMs }
    try {
      const api = new ApiClient(first.url)
      const pgdata = join(data, 'postgres')
      const sample = () =>
        (procStatusBytes(first.child.pid!, 'VmRSS') ?? 0) +
        postgresPids(pgdata).reduce((sum, pid) => sum + pss(pid), 0)
      const done = await timedImport(api, 'history', backend.url(repo.name), sample)
      embeddedImport = { value: done.ms }
      memory = { value: done.peak / 2 ** 20 }
    } finally {
      await stop(first.child)
    }
    const second = await serve(env, true)
    warm = { value: second.startMs }
    await stop(second.child)

    const onSystem = await serve({ ...env, DATABASE_URL: databaseUrl }, false)
    try {
      const done = await timedImport(
        new ApiClient(onSystem.url),
        'history',
        backend.url(repo.name),
        () => 0,
      )
      system = { value: done.ms }
    } finally {
      await stop(onSystem.child)
    }
  } catch (err) {
    error = failed(err)
  } finally {
    await backend.close()
  }
  const cell = (c: Cell | null): Cell => c ?? error ?? notBuilt
  const notes = `${repo.commits} commits, ${repo.files} files; compiled server, one run`
  report.add({
    operation: rows.cold,
    unit: 'ms',
    gitpg: cell(cold),
    git: none,
    target: atMost(10_000, 'ms'),
  })
  report.add({
    operation: rows.warm,
    unit: 'ms',
    gitpg: cell(warm),
    git: none,
    target: atMost(3_000, 'ms'),
  })
  report.add({
    operation: rows.import,
    unit: 'ms',
    gitpg: cell(embeddedImport),
    git: cell(system),
    target: ratioAtMost(2),
    notes: `${notes}; the git column is the same import on system PostgreSQL (DATABASE_URL)`,
  })
  report.add({
    operation: rows.memory,
    unit: 'MB',
    gitpg: cell(memory),
    git: none,
    target: atMost(512, 'MB'),
    notes,
  })
}
