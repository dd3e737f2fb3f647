import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DonorLines, editContent } from '../data/edit.ts'
import { Prng } from '../data/prng.ts'
import type { BenchContext } from '../lib/context.ts'
import { encodePath } from '../lib/api-client.ts'
import { API_KEY } from '../lib/gitpg-server.ts'
import { measureFresh } from '../lib/fresh-server.ts'
import { measure } from '../lib/measure.ts'
import { failed, noTarget, notBuilt, ratioAtMost, timingCell, type Cell } from '../lib/report.ts'
import { git, run } from '../lib/run-command.ts'

interface BlameAnswer {
  lines: { line: number; commit: string; origPath: string; origLine: number }[]
}

/** `line commit origLine` per line of `git blame --porcelain`, in line order. */
function porcelainLines(out: Buffer): string[] {
  const rows: string[] = []
  for (const line of out.toString('latin1').split('\n')) {
    const m = /^([0-9a-f]{40}) (\d+) (\d+)/.exec(line)
    if (m) rows.push(`${m[3]} ${m[1]} ${m[2]}`)
  }
  return rows
}

/** `line commit origLine origPath` per line of the route's answer. */
const answerLines = (answer: BlameAnswer) =>
  answer.lines.map((l) => `${l.line} ${l.commit} ${l.origLine} ${l.origPath}`)

/** The same from porcelain, with each group's file name (given when a commit first shows). */
function porcelainWithPaths(out: Buffer): string[] {
  const rows: string[] = []
  const names = new Map<string, string>()
  let current: [string, string, string] | null = null
  for (const line of out.toString('utf8').split('\n')) {
    const m = /^([0-9a-f]{40}) (\d+) (\d+)/.exec(line)
    if (m) current = [m[3], m[1], m[2]]
    else if (line.startsWith('filename ')) names.set(current![1], line.slice(9))
    else if (line.startsWith('\t')) rows.push(`${current!.join(' ')} ${names.get(current![1])}`)
  }
  return rows
}

/**
 * More files blamed once each on both sides, answers compared line by line with their original
 * paths: the 20 most edited (renames and merges of the generated history included) and 20 spread
 * over the tree.
 */
async function manyFiles(ctx: BenchContext, skip: string): Promise<void> {
  const counts = new Map<string, number>()
  for (const p of (await git(ctx.clone, ['log', '--format=', '--name-only'])).split('\n'))
    if (p) counts.set(p, (counts.get(p) ?? 0) + 1)
  const files = (await git(ctx.clone, ['ls-tree', '-r', '--name-only', 'HEAD']))
    .split('\n')
    .filter((p) => p !== skip && !/[^\x21-\x7e]/.test(p))
  const edited = [...files].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))
  const chosen = [
    ...new Set([
      ...edited.slice(0, 20),
      ...files.filter((_, i) => i % Math.ceil(files.length / 20) === 0),
    ]),
  ]
  const head = await git(ctx.clone, ['rev-parse', 'HEAD'])
  let gitMs = 0
  let gitpgMs = 0
  let wrong: string | undefined
  let gitpg: Cell = notBuilt
  try {
    for (const path of chosen) {
      let started = performance.now()
      const expected = porcelainWithPaths(
        await run('git', ['blame', '--porcelain', head, '--', path], { cwd: ctx.clone }),
      )
      gitMs += performance.now() - started
      if (!ctx.gitpg) continue
      started = performance.now()
      const answer = await ctx.gitpg.api.json<BlameAnswer>(
        'GET',
        `/projects/${ctx.project}/blame/${encodePath(path)}?ref=${head}`,
      )
      gitpgMs += performance.now() - started
      const mine = answerLines(answer)
      const at = mine.findIndex((l, i) => l !== expected[i])
      if (!wrong && (at >= 0 || mine.length !== expected.length))
        wrong = `${path}: ${mine[at] ?? mine.length} instead of ${expected[at] ?? expected.length}`
    }
    if (ctx.gitpg) gitpg = { value: gitpgMs }
  } catch (err) {
    gitpg = failed(err)
  }
  ctx.report.add({
    operation: `blame of ${chosen.length} more files, once each (sum), ${ctx.repo.name}`,
    unit: 'ms',
    gitpg,
    git: { value: gitMs },
    target: ratioAtMost(2),
    notes: 'the 20 most edited and 20 spread over the tree; every line compared with its path',
    wrong,
  })
}

/** Commits added on one file on top of the generated history, so it has 100+ of its own. */
const EXTRA_COMMITS = 120

/**
 * The path at HEAD that the most commits touched among files of 8–64 KB (ties: the first by
 * name): a source file of common size with the longest history the generated data has.
 */
async function mostEdited(dir: string): Promise<string> {
  const touched = new Map<string, number>()
  for (const p of (await git(dir, ['log', '--format=', '--name-only'])).split('\n'))
    if (p) touched.set(p, (touched.get(p) ?? 0) + 1)
  const sizes = new Map<string, number>()
  for (const l of (await git(dir, ['ls-tree', '-r', '-l', 'HEAD'])).split('\n')) {
    const m = /^\d+ blob [0-9a-f]+\s+(\d+)\t(.*)$/.exec(l)
    if (m) sizes.set(m[2], Number(m[1]))
  }
  const [path] = [...touched]
    .filter(([p]) => (sizes.get(p) ?? 0) >= 8192 && (sizes.get(p) ?? 0) <= 65536)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]
  return path
}

/**
 * A branch `blame-history` in a scratch clone whose last EXTRA_COMMITS commits each edit `path`
 * (one to three hunks of real lines), pushed to the project: both sides blame the same history.
 */
async function deepHistory(
  ctx: BenchContext,
  path: string,
): Promise<{ dir: string; head: string }> {
  const dir = join(ctx.scratch, 'blame-history')
  await run('git', ['clone', '-q', ctx.clone, dir])
  await git(dir, ['checkout', '-q', '-b', 'blame-history'])
  const rng = new Prng('gitpg-bench:blame')
  const file = join(dir, path)
  const donors = new DonorLines([readFileSync(file)])
  const last = Number(await git(dir, ['log', '-1', '--format=%ct']))
  for (let i = 1; i <= EXTRA_COMMITS; i++) {
    writeFileSync(file, editContent({ content: readFileSync(file), rng, donors }))
    const date = `${last + i * 3600} +0000`
    await run('git', ['commit', '-q', '-am', `edit ${path} (${i})`], {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Bench',
        GIT_AUTHOR_EMAIL: 'bench@example.com',
        GIT_COMMITTER_NAME: 'Bench',
        GIT_COMMITTER_EMAIL: 'bench@example.com',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    })
  }
  if (ctx.gitpg) {
    const url = new URL(`/git/${ctx.project}.git`, ctx.gitpg.server.url)
    url.username = 'git'
    url.password = API_KEY
    await run('git', ['push', '-q', url.toString(), 'blame-history'], { cwd: dir })
  }
  return { dir, head: await git(dir, ['rev-parse', 'HEAD']) }
}

async function row({
  ctx,
  operation,
  notes,
  dir,
  gitArgs,
  query,
  path,
  fresh = false,
}: {
  ctx: BenchContext
  operation: string
  notes: string
  dir: string
  gitArgs: string[]
  query: URLSearchParams
  path: string
  /** also time the first blame on a freshly started server (nothing cached) */
  fresh?: boolean
}) {
  const gitRun = () => run('git', gitArgs, { cwd: dir })
  const expected = porcelainLines(await gitRun())
  const gitTiming = await measure({ reps: ctx.reps.latency, warmup: 2, fn: gitRun })
  const url = `/projects/${ctx.project}/blame/${encodePath(path)}?${query}`
  let gitpg: Cell = notBuilt
  let cold: Cell = notBuilt
  let wrong: string | undefined
  const check = (answer: BlameAnswer) => {
    const mine = answer.lines.map((l) => `${l.line} ${l.commit} ${l.origLine}`)
    const at = mine.findIndex((l, i) => l !== expected[i])
    if (mine.length !== expected.length)
      wrong = `${mine.length} lines instead of ${expected.length}`
    else if (at >= 0) wrong = `line ${at + 1} differs: ${mine[at]} instead of ${expected[at]}`
  }
  const side = ctx.gitpg
  if (side && fresh) {
    try {
      const timing = await measureFresh(side, ctx.reps.heavy, async () =>
        check(await side.api.json<BlameAnswer>('GET', url)),
      )
      cold = timingCell(timing, false)
    } catch (err) {
      cold = failed(err)
    }
  }
  if (side) {
    try {
      check(await side.api.json<BlameAnswer>('GET', url))
      // the answer check above was the first warm-up
      gitpg = timingCell(
        await measure({
          reps: ctx.reps.latency,
          warmup: 1,
          fn: () => side.api.json<BlameAnswer>('GET', url),
        }),
      )
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
  if (fresh)
    ctx.report.add({
      operation: `${operation}, fresh server`,
      unit: 'ms',
      gitpg: cold,
      git: timingCell(gitTiming, false),
      target: noTarget,
      notes: 'first request after start: every tree on the path read from PostgreSQL',
      wrong,
    })
}

/**
 * blame of a file with 100+ commits of history (the most edited source file, edited 120 more
 * times on a branch), whole and a 40-line range, against `git blame --porcelain`.
 */
export async function benchBlame(ctx: BenchContext): Promise<void> {
  const path = await mostEdited(ctx.clone)
  const { dir, head } = await deepHistory(ctx, path)
  const commits = (await git(dir, ['log', '--format=%H', head, '--', path])).split('\n').length
  const lines = porcelainLines(
    await run('git', ['blame', '--porcelain', head, '--', path], { cwd: dir }),
  ).length
  const short = path.split('/').slice(-2).join('/')
  await row({
    ctx,
    operation: `blame of a file with ${commits} commits (${lines} lines), ${ctx.repo.name}`,
    notes: `git blame --porcelain <head> -- ${short}`,
    dir,
    gitArgs: ['blame', '--porcelain', head, '--', path],
    query: new URLSearchParams({ ref: head }),
    path,
    fresh: true,
  })
  const start = Math.max(1, Math.floor(lines / 2) - 20)
  const end = start + 39
  await row({
    ctx,
    operation: `blame -L of 40 lines of that file, ${ctx.repo.name}`,
    notes: `git blame --porcelain -L ${start},${end} <head> -- ${short}`,
    dir,
    gitArgs: ['blame', '--porcelain', '-L', `${start},${end}`, head, '--', path],
    query: new URLSearchParams({ ref: head, start: String(start), end: String(end) }),
    path,
  })
  await manyFiles(ctx, path)
}
