import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { dataDir, ensureRepo, type RepoInfo } from './data/generate.ts'
import { ApiClient } from './lib/api-client.ts'
import type { BenchContext, GitpgSide, Reps } from './lib/context.ts'
import { GitHttpBackend } from './lib/git-http-backend.ts'
import { GitpgServer, serverBuilt } from './lib/gitpg-server.ts'
import { setTimeBudget } from './lib/measure.ts'
import { Report } from './lib/report.ts'
import { git } from './lib/run-command.ts'
import { benchAutosave } from './ops/autosave.ts'
import { benchBlame } from './ops/blame.ts'
import { benchClone } from './ops/clone.ts'
import { benchCommit } from './ops/commit.ts'
import { benchFeed } from './ops/feed.ts'
import { benchGrep } from './ops/grep.ts'
import { benchHistory } from './ops/history.ts'
import { benchEmbedded } from './ops/embedded.ts'
import { benchHostile, HOSTILE_CASES } from './ops/hostile.ts'
import { benchImport } from './ops/import.ts'
import { benchMaintenance } from './ops/maintenance.ts'
import { benchRepackStorage } from './ops/repack-storage.ts'
import { benchReads } from './ops/reads.ts'
import { benchRenames } from './ops/renames.ts'
import { benchMemory, benchStorage } from './ops/storage.ts'
import { benchUserView } from './ops/user-view.ts'

const OPS = [
  'import',
  'storage',
  'reads',
  'history',
  'userview',
  'blame',
  'grep',
  'renames',
  'clone',
  'commit',
  'autosave',
  'feed',
  'maintenance',
  'memory',
]

/** Run only when named in --only: it takes a quarter of an hour and a few GB of disk. */
const HOSTILE = 'hostile'
/** Run only when named in --only: needs the compiled server (`pnpm build`). */
const EMBEDDED = 'embedded'
/** Run only when named in --only: storage of API commits before and after repack, in-process. */
const REPACK = 'repack'

const HELP = `Usage: pnpm bench [--quick] [--only=OP,...] [--scale=F] [--cases=CASE,...]

Runs every operation against gitpg (a server started from this tree, over HTTP) and stock git on
the same generated data, prints a table and writes bench/results.json.
  --quick   the small repository and fewer repetitions (under two minutes)
  --only    run only these operations (the first import always runs: it makes the project):
            ${OPS.join(', ')}
            and ${HOSTILE}, run only when named: hostile and outsized input against a server with
            its default limits (no import; each case on a fresh server process), and ${EMBEDDED},
            run only when named: the compiled server's start-up time, and the history import and
            its memory on the embedded PostgreSQL against system PostgreSQL, and ${REPACK}, run only when
            named: the storage of 200 API commits before and after repack against git gc
  --scale   ${HOSTILE} only: input sizes times F (default 1; 0.01 tries the machinery in a minute)
  --cases   ${HOSTILE} only: run only these cases: ${HOSTILE_CASES.join(', ')}
Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); the benchmark
drops and creates the database gitpg_bench (GITPG_BENCH_DB: another name) on that server. The ${HOSTILE} step's server takes the
GITPG_* settings of the environment.`

const ROOT = new URL('..', import.meta.url).pathname
/** Several benchmarks may share a PostgreSQL server, each in a database of its own. */
const BENCH_DB = /^[a-z_][a-z0-9_]*$/.test(process.env.GITPG_BENCH_DB ?? '')
  ? process.env.GITPG_BENCH_DB!
  : 'gitpg_bench'

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`

async function recreateDatabase(adminUrl: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`)
    await admin.query(`CREATE DATABASE ${BENCH_DB}`)
  } finally {
    await admin.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${BENCH_DB}`
  return url.toString()
}

async function startGitpg(databaseUrl: string, logFile: string): Promise<GitpgSide | null> {
  if (!serverBuilt()) {
    console.log('gitpg server: n/a (not built): run `pnpm build` first')
    return null
  }
  const start = () => GitpgServer.start({ databaseUrl, logFile })
  const server = await start()
  const side: GitpgSide = {
    server,
    api: new ApiClient(server.url),
    peaks: [],
    async restart() {
      side.peaks.push(side.server.peakRss())
      await side.server.stop()
      side.server = await start()
      side.api = new ApiClient(side.server.url)
    },
  }
  return side
}

async function main() {
  const args = process.argv.slice(2)
  if (args.includes('--help')) return console.log(HELP)
  const flags = ['--only=', '--scale=', '--cases=']
  const unknown = args.filter((a) => a !== '--quick' && !flags.some((f) => a.startsWith(f)))
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]}; see --help`)
  const quick = args.includes('--quick')
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
  const only = flag('only')?.split(',') ?? OPS
  const badOp = only.find(
    (op) => !OPS.includes(op) && op !== HOSTILE && op !== EMBEDDED && op !== REPACK,
  )
  if (badOp) throw new Error(`unknown operation ${badOp}; see --help`)
  const scale = Number(flag('scale') ?? '1')
  if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be a number in (0, 1]')
  const cases = flag('cases')?.split(',') ?? HOSTILE_CASES
  const badCase = cases.find((c) => !HOSTILE_CASES.includes(c))
  if (badCase) throw new Error(`unknown case ${badCase}; see --help`)
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const report = new Report()
  const started = performance.now()
  let meta: Record<string, unknown> = { mode: quick ? 'quick' : 'full' }
  if (only.some((op) => OPS.includes(op)))
    meta = await runOperations({ quick, only, report, adminUrl })
  if (only.includes(HOSTILE)) {
    const work = join(dataDir(), 'run')
    mkdirSync(work, { recursive: true })
    const databaseUrl = await recreateDatabase(adminUrl)
    await benchHostile({ report, databaseUrl, work, dataDir: dataDir(), scale, only: cases })
    meta.hostileScale = scale
  }
  if (only.includes(EMBEDDED)) {
    const work = join(dataDir(), 'run')
    mkdirSync(work, { recursive: true })
    await benchEmbedded({ report, databaseUrl: await recreateDatabase(adminUrl), work })
  }
  if (only.includes(REPACK)) {
    const work = join(dataDir(), 'run')
    mkdirSync(work, { recursive: true })
    await benchRepackStorage({ report, databaseUrl: await recreateDatabase(adminUrl), work })
  }

  const table = report.table()
  console.log(`\n${table}\n`)
  const seconds = (performance.now() - started) / 1000
  report.write(join(ROOT, 'bench/results.json'), {
    date: new Date().toISOString(),
    seconds,
    machine: { cores: cpus().length, memoryGb: totalmem() / 2 ** 30, node: process.version },
    ...meta,
  })
  writeFileSync(join(dataDir(), 'run', 'table.md'), table + '\n')
  console.log(`done in ${seconds.toFixed(0)} s; bench/results.json written`)
}

/** The operations against gitpg and git on the generated repositories; returns the run's facts. */
async function runOperations({
  quick,
  only,
  report,
  adminUrl,
}: {
  quick: boolean
  only: string[]
  report: Report
  adminUrl: string
}): Promise<Record<string, unknown>> {
  const runs = (op: string) => only.includes(op)
  const reps: Reps = quick
    ? { latency: 10, commit: 5, heavy: 1, loadSeconds: 5 }
    : { latency: 30, commit: 15, heavy: 3, loadSeconds: 15 }
  setTimeBudget(quick ? 6_000 : 60_000)

  const genStarted = performance.now()
  const small = await ensureRepo('history')
  const repo: RepoInfo = quick ? small : await ensureRepo('monorepo')
  console.log(
    `bench data ready in ${((performance.now() - genStarted) / 1000).toFixed(1)} s (${dataDir()})`,
  )

  const work = join(dataDir(), 'run')
  rmSync(work, { recursive: true, force: true })
  mkdirSync(join(work, 'scratch'), { recursive: true })
  const clone = join(work, `${repo.name}-work`)
  await git(ROOT, ['clone', '-q', repo.gitdir, clone])

  const databaseUrl = await recreateDatabase(adminUrl)
  const db = new pg.Client({ connectionString: databaseUrl })
  await db.connect()
  const backend = await GitHttpBackend.start(dataDir())
  const gitpg = await startGitpg(databaseUrl, join(work, 'server.log'))
  const ctx: BenchContext = {
    quick,
    reps,
    report,
    repo,
    clone,
    project: 'bench',
    backend,
    gitpg,
    db,
    databaseUrl,
    work,
    scratch: join(work, 'scratch'),
  }
  console.log(
    `${repo.name}: ${repo.commits} commits, ${repo.files} files, ${(repo.headBytes / 1e6).toFixed(1)} MB at HEAD; ` +
      `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GB`,
  )
  try {
    let measuredStorage = false
    const storage = async () => {
      measuredStorage = true
      if (runs('storage')) await benchStorage(ctx)
    }
    await benchImport({ ctx, repo, keepAs: ctx.project, afterKept: storage })
    if (!measuredStorage) await storage()
    // the server's peak RSS after each operation, in the log: which one grows the heap
    const step = async (op: string, fn: () => Promise<void>) => {
      if (!runs(op)) return
      await fn()
      if (gitpg) console.log(`    (server peak RSS after ${op}: ${mb(gitpg.server.peakRss())})`)
    }
    await step('reads', () => benchReads(ctx))
    await step('history', () => benchHistory(ctx))
    await step('userview', () => benchUserView(ctx))
    await step('blame', () => benchBlame(ctx))
    await step('grep', () => benchGrep(ctx))
    await step('renames', () => benchRenames(ctx))
    await step('clone', () => benchClone(ctx))
    await step('commit', () => benchCommit(ctx))
    await step('feed', () => benchFeed(ctx))
    const servingPeak = gitpg ? gitpg.server.peakRss() : null
    await step('autosave', () => benchAutosave(ctx))
    await step('maintenance', () => benchMaintenance(ctx))
    await step('import', async () => {
      await benchImport({ ctx, repo, depth: 1 })
      if (!quick) await benchImport({ ctx, repo: small })
    })
    if (runs('memory')) {
      benchMemory(ctx, 'fresh server serving reads, log, diff, clone, commits', servingPeak)
      const peaks = gitpg ? [...gitpg.peaks, gitpg.server.peakRss()] : null
      benchMemory(
        ctx,
        'any server process, imports and load included',
        peaks ? Math.max(...peaks) : null,
      )
    }
  } finally {
    await gitpg?.server.stop()
    await backend.close()
    await db.end()
  }
  return { mode: quick ? 'quick' : 'full', repo }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
