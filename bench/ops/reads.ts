import { Prng } from '../data/prng.ts'
import { encodePath } from '../lib/api-client.ts'
import type { BenchContext } from '../lib/context.ts'
import { measureFresh } from '../lib/fresh-server.ts'
import { measure } from '../lib/measure.ts'
import { failed, noTarget, notBuilt, ratioAtMost, timingCell, type Cell } from '../lib/report.ts'
import { git, run } from '../lib/run-command.ts'

interface BatchFile {
  path: string
  oid: string
}

/** 100 paths of HEAD, the same on every run. */
export async function samplePaths(ctx: BenchContext, count = 100): Promise<string[]> {
  const all = (await git(ctx.clone, ['ls-tree', '-r', '--name-only', 'HEAD'])).split('\n')
  const rng = new Prng('gitpg-bench:reads')
  return rng.shuffle(all).slice(0, count).sort()
}

async function gitBatch(ctx: BenchContext, paths: string[]): Promise<Buffer> {
  return run('git', ['cat-file', '--batch'], {
    cwd: ctx.clone,
    input: paths.map((p) => `HEAD:${p}\n`).join(''),
  })
}

/**
 * Batch read of 100 files at HEAD: `git cat-file --batch` (process start included, as a tool
 * would run it) against `POST /files/:project/batch`, warm and on a freshly started server.
 */
export async function benchReads(ctx: BenchContext): Promise<void> {
  const paths = await samplePaths(ctx)
  const oids = new Map<string, string>()
  for (const line of (await git(ctx.clone, ['ls-tree', '-r', 'HEAD', '--', ...paths])).split(
    '\n',
  )) {
    const [meta, path] = line.split('\t')
    oids.set(path, meta.split(' ')[2])
  }
  const gitBatchTiming = await measure({
    reps: ctx.reps.latency,
    warmup: 2,
    fn: () => gitBatch(ctx, paths),
  })
  const gitSingle = await measure({
    reps: ctx.reps.latency,
    warmup: 2,
    fn: (i) =>
      run('git', ['cat-file', 'blob', `HEAD:${paths[Math.abs(i) % paths.length]}`], {
        cwd: ctx.clone,
      }),
  })

  const side = ctx.gitpg
  let wrong: string | undefined
  const batch = async () => {
    const res = await side!.api.json<{ files: BatchFile[]; missing: string[] }>(
      'POST',
      `/files/${ctx.project}/batch`,
      { paths },
    )
    const bad = res.files.filter((f) => oids.get(f.path) !== f.oid).length + res.missing.length
    if (bad > 0 || res.files.length !== paths.length)
      wrong = `${bad} of ${paths.length} files differ`
  }

  let warm: Cell = notBuilt
  let single: Cell = notBuilt
  let cold: Cell = notBuilt
  if (side) {
    try {
      warm = timingCell(await measure({ reps: ctx.reps.latency, warmup: 3, fn: batch }))
    } catch (err) {
      warm = failed(err)
    }
    try {
      single = timingCell(
        await measure({
          reps: ctx.reps.latency,
          warmup: 3,
          fn: (i) =>
            side.api.bytes(
              `/files/${ctx.project}/${encodePath(paths[Math.abs(i) % paths.length])}`,
            ),
        }),
      )
    } catch (err) {
      single = failed(err)
    }
    try {
      cold = timingCell(await measureFresh(side, ctx.reps.heavy, batch), false)
    } catch (err) {
      cold = failed(err)
    }
  }
  const what = `100 files at HEAD, ${ctx.repo.name}`
  const gitNote = 'git cat-file --batch, process start included'
  ctx.report.add({
    operation: `batch read ${what}, warm`,
    unit: 'ms',
    gitpg: warm,
    git: timingCell(gitBatchTiming),
    target: ratioAtMost(2),
    notes: gitNote,
    wrong,
  })
  ctx.report.add({
    operation: `batch read ${what}, fresh server`,
    unit: 'ms',
    gitpg: cold,
    git: timingCell(gitBatchTiming, false),
    target: ratioAtMost(5),
    notes: 'first request after start',
    wrong,
  })
  ctx.report.add({
    operation: `single-file read, ${ctx.repo.name}`,
    unit: 'ms',
    gitpg: single,
    git: timingCell(gitSingle),
    target: noTarget,
    notes: 'git cat-file blob HEAD:path',
  })
}
