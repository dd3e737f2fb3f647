import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { BenchContext } from '../lib/context.ts'
import { API_KEY } from '../lib/gitpg-server.ts'
import { measure } from '../lib/measure.ts'
import { failed, notBuilt, ratioAtMost, timingCell, type Cell } from '../lib/report.ts'
import { git, run } from '../lib/run-command.ts'

/** Stock `git clone --bare` from gitpg's smart HTTP against the same clone from git http-backend. */
export async function benchClone(ctx: BenchContext): Promise<void> {
  const dest = join(ctx.scratch, 'clone-from.git')
  // a first clone is what users do: git gets a warm-up for its page cache, gitpg none
  const cloneFrom = (url: string, warmup: number) =>
    measure({
      reps: ctx.reps.heavy,
      warmup,
      fn: async () => {
        await rm(dest, { recursive: true, force: true })
        await run('git', ['clone', '--bare', '-q', url, dest])
      },
    })
  const gitTiming = await cloneFrom(ctx.backend.url(ctx.repo.name), 1)
  let gitpg: Cell = notBuilt
  // the first clone walks the trees and records that it sent everything; later ones reuse it
  let first: Cell = notBuilt
  let wrong: string | undefined
  const side = ctx.gitpg
  if (side) {
    const url = new URL(`/git/${ctx.project}.git`, side.server.url)
    url.username = 'git'
    url.password = API_KEY
    const probe = await fetch(`${url.origin}${url.pathname}/info/refs?service=git-upload-pack`, {
      headers: { Authorization: `Basic ${Buffer.from(`git:${API_KEY}`).toString('base64')}` },
    })
    if (probe.status !== 404) {
      try {
        const timing = await cloneFrom(url.toString(), 0)
        gitpg = timingCell(timing, false)
        first = { value: timing.samples[0] }
        const head = await git(dest, ['rev-parse', 'HEAD'])
        const expected = (await side.api.json<{ head: string }>('GET', `/projects/${ctx.project}`))
          .head
        if (head !== expected) wrong = `cloned HEAD ${head}, project head ${expected}`
        await git(dest, ['fsck', '--strict', '--no-progress'])
      } catch (err) {
        gitpg = failed(err)
      }
    }
  }
  ctx.report.add({
    operation: `git clone --bare from gitpg, ${ctx.repo.name}`,
    unit: 'ms',
    gitpg,
    git: timingCell(gitTiming, false),
    target: ratioAtMost(1.2),
    notes: 'git: the same clone from git http-backend',
    wrong,
  })
  ctx.report.add({
    operation: `git clone --bare from gitpg, ${ctx.repo.name}, first clone after the import`,
    unit: 'ms',
    gitpg: first,
    git: timingCell(gitTiming, false),
    target: ratioAtMost(2),
    notes: 'the walk of every tree; later clones of the same refs skip it',
    wrong,
  })
}
