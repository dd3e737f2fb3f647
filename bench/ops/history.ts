import type { BenchContext } from '../lib/context.ts'
import { measure } from '../lib/measure.ts'
import { failed, notBuilt, ratioAtMost, timingCell, type Cell } from '../lib/report.ts'
import { git } from '../lib/run-command.ts'

interface LogPage {
  commits: { oid: string }[]
  next: string | null
}

interface DiffAnswer {
  changes: { path: string; status: string }[]
}

/** Every commit of HEAD's history (or of `path`'s), paging through `GET /projects/:id/log`. */
async function gitpgLog(ctx: BenchContext, path?: string): Promise<string[]> {
  const oids: string[] = []
  let cursor: string | null = null
  do {
    const q = new URLSearchParams({ limit: '1000' })
    if (path) q.set('path', path)
    if (cursor) q.set('cursor', cursor)
    const page: LogPage = await ctx.gitpg!.api.json<LogPage>(
      'GET',
      `/projects/${ctx.project}/log?${q}`,
    )
    for (const c of page.commits) oids.push(c.oid)
    cursor = page.next
  } while (cursor)
  return oids
}

function compareLists(mine: string[], theirs: string[]): string | undefined {
  if (mine.length !== theirs.length) return `${mine.length} entries instead of ${theirs.length}`
  const at = mine.findIndex((oid, i) => oid !== theirs[i])
  return at < 0 ? undefined : `entry ${at} differs`
}

/** One timed row: git's command against gitpg's answer, which must be the same list. */
async function row({
  ctx,
  operation,
  notes,
  gitRun,
  gitpgRun,
}: {
  ctx: BenchContext
  operation: string
  notes: string
  gitRun: () => Promise<string[]>
  gitpgRun: () => Promise<string[]>
}) {
  const expected = await gitRun()
  const gitTiming = await measure({ reps: ctx.reps.latency, warmup: 2, fn: gitRun })
  let gitpg: Cell = notBuilt
  let wrong: string | undefined
  if (ctx.gitpg) {
    try {
      wrong = compareLists(await gitpgRun(), expected)
      // the answer check above was the first warm-up
      gitpg = timingCell(await measure({ reps: ctx.reps.latency, warmup: 1, fn: gitpgRun }))
    } catch (err) {
      gitpg = failed(err)
    }
  }
  ctx.report.add({
    operation,
    unit: 'ms',
    gitpg,
    git: timingCell(gitTiming),
    target: ratioAtMost(2),
    notes,
    wrong,
  })
}

/** log of all commits, log of the most edited path, diff of two commits 500 apart. */
export async function benchHistory(ctx: BenchContext): Promise<void> {
  const all = (await git(ctx.clone, ['log', '--format=%H'])).split('\n')
  await row({
    ctx,
    operation: `log of all ${all.length} commits, ${ctx.repo.name}`,
    notes: 'git log --format=%H',
    gitRun: async () => (await git(ctx.clone, ['log', '--format=%H'])).split('\n'),
    gitpgRun: () => gitpgLog(ctx),
  })

  const touched = new Map<string, number>()
  for (const p of (await git(ctx.clone, ['log', '--format=', '--name-only'])).split('\n')) {
    if (p) touched.set(p, (touched.get(p) ?? 0) + 1)
  }
  const headPaths = new Set(
    (await git(ctx.clone, ['ls-tree', '-r', '--name-only', 'HEAD'])).split('\n'),
  )
  const [path] = [...touched]
    .filter(([p]) => headPaths.has(p))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]
  const pathLog = async () => {
    const out = await git(ctx.clone, ['log', '--format=%H', '--', path])
    return out ? out.split('\n') : []
  }
  const n = (await pathLog()).length
  await row({
    ctx,
    operation: `log of one path (${n} of ${all.length} commits), ${ctx.repo.name}`,
    notes: `git log -- ${path.split('/').slice(-2).join('/')}`,
    gitRun: pathLog,
    gitpgRun: () => gitpgLog(ctx, path),
  })

  const [to, from] = [all[100], all[600]]
  const diffGit = async () =>
    (await git(ctx.clone, ['diff', '--name-status', '--no-renames', from, to]))
      .split('\n')
      .filter(Boolean)
      .sort()
  const diffGitpg = async () => {
    const q = new URLSearchParams({ from, to })
    const res = await ctx.gitpg!.api.json<DiffAnswer>('GET', `/projects/${ctx.project}/diff?${q}`)
    return res.changes.map((c) => `${c.status}\t${c.path}`).sort()
  }
  const changes = (await diffGit()).length
  await row({
    ctx,
    operation: `diff of commits 500 apart (${changes} paths), ${ctx.repo.name}`,
    notes: 'git diff --name-status --no-renames',
    gitRun: diffGit,
    gitpgRun: diffGitpg,
  })
}
