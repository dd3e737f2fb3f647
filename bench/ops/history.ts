import { compareLists, compareRow } from '../lib/compare-row.ts'
import type { BenchContext } from '../lib/context.ts'
import { gitpgLog } from '../lib/gitpg-log.ts'
import { ratioAtMost } from '../lib/report.ts'
import { git } from '../lib/run-command.ts'

interface DiffAnswer {
  changes: { path: string; status: string }[]
}

/** One timed row: git's command against gitpg's answer, which must be the same list. */
function row(args: {
  ctx: BenchContext
  operation: string
  notes: string
  gitRun: () => Promise<string[]>
  gitpgRun: () => Promise<string[]>
}) {
  return compareRow({ ...args, target: ratioAtMost(2), check: compareLists })
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
    gitpgRun: () => gitpgLog(ctx, { path }),
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
