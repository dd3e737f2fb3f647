import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { RepoInfo } from '../data/generate.ts'
import type { BenchContext } from '../lib/context.ts'
import { measure, overBudget, summarize } from '../lib/measure.ts'
import { failed, notBuilt, ratioAtMost, timingCell, type Cell } from '../lib/report.ts'
import { run } from '../lib/run-command.ts'

/**
 * Import of `repo` from stock `git http-backend` over HTTP on loopback: `git clone --bare` against
 * `POST /projects/:id/import` (full history, or `--depth 1`). With `keepAs`, gitpg's first
 * import stays as that project for the operations after it; other imports are deleted.
 */
export async function benchImport({
  ctx,
  repo,
  depth,
  keepAs,
  afterKept,
}: {
  ctx: BenchContext
  repo: RepoInfo
  depth?: number
  keepAs?: string
  /** runs right after the kept import, before other imports add and delete rows */
  afterKept?: () => Promise<void>
}): Promise<void> {
  const url = ctx.backend.url(repo.name)
  const label = `import ${depth ? `depth ${depth}` : 'full history'}, ${repo.name} (${repo.commits} commits, ${repo.files} files)`
  const depthArgs = depth ? ['--depth', String(depth)] : []
  const dest = join(ctx.scratch, 'clone-bare.git')
  let git: Cell
  try {
    git = timingCell(
      await measure({
        reps: ctx.reps.heavy,
        warmup: 1,
        fn: async () => {
          await rm(dest, { recursive: true, force: true })
          await run('git', ['clone', '--bare', '-q', ...depthArgs, url, dest])
        },
      }),
      false,
    )
  } catch (err) {
    git = failed(err)
  }

  let gitpg: Cell = notBuilt
  let wrong: string | undefined
  const side = ctx.gitpg
  if (side) {
    try {
      const samples: number[] = []
      const begun = performance.now()
      for (let i = 0; i < ctx.reps.heavy && !overBudget(begun); i++) {
        const project = i === 0 && keepAs ? keepAs : `import-${repo.name}-${depth ?? 'full'}-${i}`
        const started = performance.now()
        await side.api.json('POST', `/projects/${project}/import`, {
          url,
          ...(depth ? { depth } : {}),
        })
        samples.push(performance.now() - started)
        const info = await side.api.json<{ head: string }>('GET', `/projects/${project}`)
        if (info.head !== repo.head) wrong = `head ${info.head} instead of ${repo.head}`
        if (project !== keepAs) await side.api.request('DELETE', `/projects/${project}`)
        else await afterKept?.()
      }
      gitpg = timingCell(summarize(samples, ctx.reps.heavy), false)
    } catch (err) {
      gitpg = failed(err)
    }
  }
  ctx.report.add({
    operation: label,
    unit: 'ms',
    gitpg,
    git,
    target: ratioAtMost(2),
    notes: 'git clone --bare from git http-backend on loopback',
    wrong,
  })
}
