import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Prng } from '../data/prng.ts'
import { encodePath } from '../lib/api-client.ts'
import type { BenchContext } from '../lib/context.ts'
import { API_KEY } from '../lib/gitpg-server.ts'
import { rawRequest } from '../lib/raw-request.ts'
import { atLeast, atMost, failed, none, notBuilt, ratioAtMost, type Cell } from '../lib/report.ts'
import { BENCH_AUTHOR, commitAll, git, run } from '../lib/run-command.ts'
import { autosaveTargetP99, pacedRun } from './autosave.ts'
import { packsShare, projectShare } from './storage.ts'

const MB = 1024 * 1024
const FILES_PER_COMMIT = 10
/** the deleted branch's unique history: incompressible files, so stored bytes are these bytes */
const DOOMED_BYTES = 5 * MB
const DOOMED_COMMITS = 10

interface MaintenanceAnswer {
  gc: { deleted: number; bytesFreed: number; unreachable: number; fromPacks?: number }
  repack: { considered: number; deltified: number; bytesBefore: number; bytesAfter: number }
  archive?: {
    archived: number
    packsWritten: number
    packsMerged: number
    bytesBefore: number
    bytesAfter: number
    ms: number
  }
  ms: number
}

/**
 * The bytes the project's git tables take, each compacted first (`VACUUM FULL`, so rows a
 * repack rewrote or a collection removed no longer count): the project's share of each table
 * whose rows lead with `repo_id`.
 */
async function gitBytes(ctx: BenchContext): Promise<number> {
  const tables = ['git_objects', 'git_commit_graph', 'git_refs', 'git_unreachable', 'git_packs']
  const { rows: repo } = await ctx.db.query<{ repo_id: number }>(
    'SELECT repo_id FROM repos WHERE name = $1',
    [ctx.project],
  )
  let total = 0
  for (const table of tables) {
    await ctx.db.query(`VACUUM FULL ${table}`)
    const repoId = repo[0].repo_id
    total +=
      table === 'git_packs'
        ? await packsShare(ctx.db, repoId)
        : await projectShare(ctx.db, { table, repoId })
  }
  return total
}

/** The size of a repository's packs in bytes, after `git gc`. */
async function packBytes(dir: string): Promise<number> {
  await git(dir, ['gc', '-q'])
  const counts = await git(dir, ['count-objects', '-v'])
  return Number(/size-pack: (\d+)/.exec(counts)![1]) * 1024
}

/** `42,000 objects archived into 1 pack (40.1 → 2.2 MB) in 12.0 s, ` */
function archiveNote(report: MaintenanceAnswer): string {
  const a = report.archive
  if (!a) return ''
  return (
    `${a.archived} objects archived into ${a.packsWritten} packs ` +
    `(${(a.bytesBefore / MB).toFixed(1)} → ${(a.bytesAfter / MB).toFixed(1)} MB) in ` +
    `${(a.ms / 1000).toFixed(1)} s, `
  )
}

/**
 * A maintenance run over HTTP. On node:http rather than `fetch`, whose client gives up on an
 * answer that has not begun after 300 s: a paced run after 1,000 commits can take longer.
 */
async function maintain(ctx: BenchContext, prune: string): Promise<MaintenanceAnswer> {
  const res = await rawRequest({
    url: `${ctx.gitpg!.server.url}/projects/${ctx.project}/maintenance`,
    method: 'POST',
    headers: { 'X-Internal-API-Key': API_KEY, 'Content-Type': 'application/json' },
    body: Buffer.from(JSON.stringify({ prune })),
    keep: 1 << 20,
  })
  const text = res.head.toString()
  if (res.status !== 200) throw new Error(`maintenance → ${res.status} ${text.slice(0, 300)}`)
  return JSON.parse(text) as MaintenanceAnswer
}

/**
 * Issue 15's targets. (1) `commits` API commits of 10 edited files each on the benchmark
 * repository (maintained once first, as git's side is gc'd), then a maintenance run: the git
 * tables' growth against the growth of the pack `git gc` makes of the same edits committed in a
 * clone. (2) That maintenance run happens while
 * autosaves arrive at the target's rate: their p99. (3) A branch with 5 MB of unique history,
 * pushed, deleted, and collected with `prune=now`: bytes freed, then a clone checked by
 * `git fsck --strict`.
 */
export async function benchMaintenance(ctx: BenchContext): Promise<void> {
  const commits = ctx.quick ? 100 : 1000
  const growthLabel = `storage growth of ${commits} API commits × ${FILES_PER_COMMIT} files, after maintenance`
  const p99Label = 'autosave p99 at 2,000 req/s during a maintenance run'
  const freedLabel = 'maintenance --prune=now after deleting a branch of 5 MB unique history'
  const side = ctx.gitpg
  if (!side) {
    for (const operation of [growthLabel, p99Label, freedLabel])
      ctx.report.add({ operation, unit: '', gitpg: notBuilt, git: none, target: atMost(0, '') })
    return
  }
  const dir = join(ctx.scratch, 'maintenance')
  await rm(dir, { recursive: true, force: true })
  await mkdir(ctx.scratch, { recursive: true })
  const url = new URL(`/git/${ctx.project}.git`, side.server.url)
  url.username = 'git'
  url.password = API_KEY

  let growth: Cell = failed(new Error('not measured'))
  let gitGrowth: Cell = none
  let p99: Cell = failed(new Error('not measured'))
  let notes = ''
  let p99Notes = ''
  try {
    await run('git', ['clone', '-q', url.toString(), dir])
    const gitBefore = await packBytes(dir)
    // the baseline is a maintained project, as git's is a gc'd repository: otherwise the run
    // below would count archiving the imported history against the commits' growth
    const baseline = await maintain(ctx, 'now')
    const before = await gitBytes(ctx)
    const paths = (await git(dir, ['ls-tree', '-r', '--name-only', 'HEAD'])).split('\n')
    const rng = new Prng('gitpg-bench:maintenance')
    const started = performance.now()
    for (let rep = 0; rep < commits; rep++) {
      const chosen = new Set(Array.from({ length: FILES_PER_COMMIT }, () => rng.pick(paths)))
      for (const p of chosen) {
        const file = join(dir, p)
        const content = Buffer.concat([await readFile(file), Buffer.from(`\n// edit ${rep}\n`)])
        await writeFile(file, content)
        await side.api.request('PUT', `/pending/${ctx.project}/maint/${encodePath(p)}`, {
          body: content,
        })
      }
      await side.api.json('POST', `/projects/${ctx.project}/commits`, {
        userId: 'maint',
        message: `edit ${rep}`,
        author: BENCH_AUTHOR,
      })
      await commitAll(dir, `edit ${rep}`)
    }
    const commitSeconds = (performance.now() - started) / 1000
    const beforeMaintenance = await gitBytes(ctx)
    const gitAfter = await packBytes(dir)

    // the maintenance run, with autosaves arriving at the target's rate meanwhile
    const run1 = maintain(ctx, 'now')
    const load = await pacedRun({ ctx, prefix: 'maint-load', rate: 2000, seconds: 10 })
    const report = await run1
    const after = await gitBytes(ctx)
    growth = { value: (after - before) / MB }
    gitGrowth = { value: (gitAfter - gitBefore) / MB }
    notes =
      `baseline maintenance ${(baseline.ms / 1000).toFixed(1)} s (${baseline.archive?.archived ?? 0} imported objects archived); ` +
      `${commits} commits in ${commitSeconds.toFixed(0)} s; growth before maintenance ` +
      `${((beforeMaintenance - before) / MB).toFixed(1)} MB; maintenance ${(report.ms / 1000).toFixed(1)} s: ` +
      `${report.repack.deltified} of ${report.repack.considered} whole objects deltified ` +
      `(${(report.repack.bytesBefore / MB).toFixed(1)} → ${(report.repack.bytesAfter / MB).toFixed(1)} MB), ` +
      archiveNote(report) +
      `${report.gc.deleted} unreachable removed`
    p99 = { value: load.p99, detail: `(p50 ${load.p50.toFixed(1)})` }
    p99Notes = `maintenance took ${(report.ms / 1000).toFixed(1)} s of the 10 s load; ${load.lost} saves lost; ${load.notes}`
  } catch (err) {
    growth = failed(err)
    p99 = failed(err)
  }
  ctx.report.add({
    operation: growthLabel,
    unit: 'MB',
    gitpg: growth,
    git: gitGrowth,
    target: ratioAtMost(1.5),
    notes: notes || undefined,
  })
  ctx.report.add({
    operation: p99Label,
    unit: 'ms',
    gitpg: p99,
    git: none,
    target: atMost(autosaveTargetP99, 'ms'),
    notes: p99Notes || undefined,
  })

  let freed: Cell = failed(new Error('not measured'))
  let freedNotes = ''
  try {
    // on gitpg's own history (the clone's commits above are git's copies of it, not on gitpg)
    await git(dir, ['fetch', '-q', 'origin'])
    await git(dir, ['checkout', '-q', '-b', 'doomed', 'origin/HEAD'])
    const each = DOOMED_BYTES / DOOMED_COMMITS
    for (let i = 0; i < DOOMED_COMMITS; i++) {
      await writeFile(join(dir, `doomed-${i}.bin`), randomBytes(each))
      await git(dir, ['add', `doomed-${i}.bin`])
      await git(dir, ['-c', 'user.name=B', '-c', 'user.email=b@x', 'commit', '-q', '-m', `d${i}`])
    }
    await git(dir, ['push', '-q', 'origin', 'doomed'])
    const withBranch = await gitBytes(ctx)
    await side.api.request('DELETE', `/projects/${ctx.project}/branches/doomed`)
    const report = await maintain(ctx, 'now')
    const after = await gitBytes(ctx)
    const check = join(ctx.scratch, 'maintenance-check.git')
    await rm(check, { recursive: true, force: true })
    await run('git', ['clone', '--bare', '-q', url.toString(), check])
    await git(check, ['fsck', '--strict', '--no-dangling'])
    freed = { value: (withBranch - after) / MB }
    freedNotes =
      `${report.gc.deleted} objects removed (${report.gc.fromPacks ?? 0} from packs), ` +
      `${(report.gc.bytesFreed / MB).toFixed(2)} MB of stored data; clone fsck --strict clean`
  } catch (err) {
    freed = failed(err)
  }
  ctx.report.add({
    operation: freedLabel,
    unit: 'MB freed',
    gitpg: freed,
    git: none,
    target: atLeast(DOOMED_BYTES / MB, 'MB'),
    notes: freedNotes || undefined,
  })
}
