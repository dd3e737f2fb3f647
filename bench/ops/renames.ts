import type { BenchContext } from '../lib/context.ts'
import { measure } from '../lib/measure.ts'
import { failed, notBuilt, ratioAtMost, timingCell, type Cell } from '../lib/report.ts'
import { git } from '../lib/run-command.ts'

interface DiffAnswer {
  changes: { path: string; status: string; oldPath?: string; similarity?: number }[]
}

interface LogPage {
  commits: { oid: string }[]
  next: string | null
}

const lines = (out: string) => out.split('\n').filter(Boolean)

function compareLists(mine: string[], theirs: string[]): string | undefined {
  if (mine.length !== theirs.length) return `${mine.length} entries instead of ${theirs.length}`
  const at = mine.findIndex((x, i) => x !== theirs[i])
  return at < 0 ? undefined : `entry ${at} differs: ${mine[at]} instead of ${theirs[at]}`
}

/** One timed row: git's command against gitpg's answer, which must be the same list in order. */
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

/**
 * Diff with rename detection of two commits 500 apart (`git diff -M --name-status`), and the log
 * of a renamed file followed across its renames (`git log --follow`).
 */
export async function benchRenames(ctx: BenchContext): Promise<void> {
  const all = lines(await git(ctx.clone, ['log', '--format=%H']))
  const [to, from] = [all[100], all[600]]
  const diffGit = async () => lines(await git(ctx.clone, ['diff', '-M', '--name-status', from, to]))
  const diffGitpg = async () => {
    const q = new URLSearchParams({ from, to, renames: 'true' })
    const res = await ctx.gitpg!.api.json<DiffAnswer>('GET', `/projects/${ctx.project}/diff?${q}`)
    return res.changes.map((c) =>
      c.oldPath === undefined
        ? `${c.status}\t${c.path}`
        : `${c.status}${String(c.similarity).padStart(3, '0')}\t${c.oldPath}\t${c.path}`,
    )
  }
  const found = await diffGit()
  const renamed = found.filter((l) => l.startsWith('R')).length
  await row({
    ctx,
    operation: `diff -M of commits 500 apart (${found.length} paths, ${renamed} renames), ${ctx.repo.name}`,
    notes: 'git diff -M --name-status',
    gitRun: diffGit,
    gitpgRun: diffGitpg,
  })

  // a file at HEAD renamed with edits (so following it runs the similarity matrix against every
  // file of the parent), the one of a few with the longest history
  const head = new Set(lines(await git(ctx.clone, ['ls-tree', '-r', '--name-only', 'HEAD'])))
  const renames = lines(
    await git(ctx.clone, [
      'log',
      '-M',
      '--diff-filter=R',
      '--name-status',
      '--format=',
      '-n',
      '300',
    ]),
  )
  const atHead = renames.map((l) => l.split('\t')).filter(([, , to]) => to && head.has(to))
  const edited = atHead.filter(([status]) => status !== 'R100')
  const candidates = (edited.length > 0 ? edited : atHead).map(([, , to]) => to).slice(0, 8)
  const followOf = async (p: string) =>
    lines(await git(ctx.clone, ['log', '--follow', '--format=%H', '--', p]))
  let path: string | undefined
  let longest = -1
  for (const p of new Set(candidates)) {
    const n = (await followOf(p)).length
    if (n > longest) [path, longest] = [p, n]
  }
  if (!path) return
  const followGit = () => followOf(path)
  const followGitpg = async () => {
    const oids: string[] = []
    let cursor: string | null = null
    do {
      const q = new URLSearchParams({ path, follow: 'true', limit: '1000' })
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
  const n = (await followGit()).length
  await row({
    ctx,
    operation: `log --follow of a renamed file (${n} of ${all.length} commits), ${ctx.repo.name}`,
    notes: `git log --follow -- ${path.split('/').slice(-2).join('/')}`,
    gitRun: followGit,
    gitpgRun: followGitpg,
  })
}
