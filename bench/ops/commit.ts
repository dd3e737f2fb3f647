import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Prng } from '../data/prng.ts'
import { encodePath } from '../lib/api-client.ts'
import type { BenchContext } from '../lib/context.ts'
import { measure, overBudget, summarize } from '../lib/measure.ts'
import { atMost, failed, notBuilt, timingCell, type Cell } from '../lib/report.ts'
import { BENCH_AUTHOR, commitAll, git } from '../lib/run-command.ts'

/**
 * Commit of 10 changed files. git: write 10 files in the work tree and `git commit -a` (index
 * refresh of the whole tree included). gitpg: 10 `PUT /pending` (untimed), then the timed
 * `POST /projects/:id/commits` that turns them into a commit on the branch.
 */
export async function benchCommit(ctx: BenchContext): Promise<void> {
  const paths = (await git(ctx.clone, ['ls-tree', '-r', '--name-only', 'HEAD'])).split('\n')
  const rng = new Prng('gitpg-bench:commit')
  const pick = () =>
    Array.from({ length: 10 }, () => rng.pick(paths)).filter((p, i, a) => a.indexOf(p) === i)
  const edit = (content: Buffer, rep: number) =>
    Buffer.concat([content, Buffer.from(`\n// autosave ${rep}\n`)])

  const gitTiming = await measure({
    reps: ctx.reps.commit,
    warmup: 1,
    fn: async (rep) => {
      for (const p of pick()) {
        const file = join(ctx.clone, p)
        await writeFile(file, edit(await readFile(file), rep))
      }
      await commitAll(ctx.clone, `save ${rep}`)
    },
  })

  let gitpg: Cell = notBuilt
  let wrong: string | undefined
  const side = ctx.gitpg
  if (side) {
    try {
      const samples: number[] = []
      const begun = performance.now()
      for (
        let rep = -1;
        rep < ctx.reps.commit && (samples.length === 0 || !overBudget(begun));
        rep++
      ) {
        const chosen = pick()
        for (const p of chosen) {
          const current = await side.api.bytes(`/files/${ctx.project}/${encodePath(p)}`)
          await side.api.request('PUT', `/pending/${ctx.project}/bench-user/${encodePath(p)}`, {
            body: edit(current, rep),
          })
        }
        const started = performance.now()
        const res = await side.api.json<{ paths?: string[] }>(
          'POST',
          `/projects/${ctx.project}/commits`,
          {
            userId: 'bench-user',
            message: `save ${rep}`,
            author: BENCH_AUTHOR,
          },
        )
        if (rep >= 0) samples.push(performance.now() - started)
        if (res.paths && res.paths.length !== chosen.length)
          wrong = `committed ${res.paths.length} of ${chosen.length} files`
      }
      gitpg = timingCell(summarize(samples, ctx.reps.commit))
    } catch (err) {
      gitpg = failed(err)
    }
  }
  ctx.report.add({
    operation: `commit of 10 changed files, ${ctx.repo.name} (${paths.length} files)`,
    unit: 'ms',
    gitpg,
    git: timingCell(gitTiming),
    target: atMost(100, 'ms p50'),
    notes: 'git: write + git commit -a in a work tree',
    wrong,
  })
}
