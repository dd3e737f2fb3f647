import { compareLists, compareRow } from '../lib/compare-row.ts'
import type { BenchContext } from '../lib/context.ts'
import { gitpgLog } from '../lib/gitpg-log.ts'
import { ratioAtMost } from '../lib/report.ts'
import { git } from '../lib/run-command.ts'

interface DiffAnswer {
  changes: { path: string; status: string; oldPath?: string; similarity?: number }[]
}

const lines = (out: string) => out.split('\n').filter(Boolean)

/** One timed row: git's command against gitpg's answer, which must be the same list in order. */
function row(args: {
  ctx: BenchContext
  operation: string
  notes: string
  gitRun: () => Promise<string[]>
  gitpgRun: () => Promise<string[]>
}) {
  return compareRow({
    ...args,
    target: ratioAtMost(2),
    check: (answer, expected) => compareLists(answer, expected, { detail: true }),
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
  const followGitpg = () => gitpgLog(ctx, { path, follow: 'true' })
  const n = (await followGit()).length
  await row({
    ctx,
    operation: `log --follow of a renamed file (${n} of ${all.length} commits), ${ctx.repo.name}`,
    notes: `git log --follow -- ${path.split('/').slice(-2).join('/')}`,
    gitRun: followGit,
    gitpgRun: followGitpg,
  })
}
