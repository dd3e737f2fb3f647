import type { BenchContext } from '../lib/context.ts'
import { compareLists } from '../lib/compare-row.ts'
import { measureFresh } from '../lib/fresh-server.ts'
import { measure } from '../lib/measure.ts'
import { failed, notBuilt, ratioAtMost, timingCell, type Cell } from '../lib/report.ts'
import { run } from '../lib/run-command.ts'

interface GrepPage {
  matches: { path: string; line: number; text: string }[]
  next: string | null
}

/** A fixed string and a regular expression with a few hundred to a few thousand hits. */
const LITERAL = 'TODO'
const REGEX = 'new [A-Z][A-Za-z]+Error\\('

/** `git grep -n -I [-F|-E] -e <pattern> HEAD` on the bare repository, as `path:line` entries. */
async function gitGrep(ctx: BenchContext, flag: '-F' | '-E', pattern: string): Promise<string[]> {
  let out: Buffer
  try {
    out = await run('git', ['grep', '-n', '-I', '-z', flag, '-e', pattern, 'HEAD'], {
      cwd: ctx.repo.gitdir,
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    })
  } catch (err) {
    if (/exited 1:/.test(String(err))) return []
    throw err
  }
  const entries: string[] = []
  for (const record of out.toString('utf8').split('\n')) {
    if (!record) continue
    const [path, line] = record.slice('HEAD:'.length).split('\0')
    entries.push(`${path}:${line}`)
  }
  return entries
}

/** Every page of the same search from gitpg, as `path:line` entries. */
async function gitpgGrep(ctx: BenchContext, regex: boolean, pattern: string): Promise<string[]> {
  const entries: string[] = []
  let cursor: string | null = null
  do {
    const q = new URLSearchParams({ pattern, regex: String(regex), limit: '1000' })
    if (cursor) q.set('cursor', cursor)
    const page: GrepPage = await ctx.gitpg!.api.json<GrepPage>(
      'GET',
      `/projects/${ctx.project}/grep?${q}`,
    )
    for (const m of page.matches) entries.push(`${m.path}:${m.line}`)
    cursor = page.next
  } while (cursor)
  return entries
}

/**
 * grep of a fixed string and of a regular expression over HEAD, warm and on a fresh server,
 * against `git grep` on the bare repository (process start included, as a client would pay it).
 */
export async function benchGrep(ctx: BenchContext): Promise<void> {
  const name = ctx.repo.name
  for (const [kind, regex, pattern, target] of [
    ['fixed string', false, LITERAL, 1],
    ['regular expression', true, REGEX, 2],
  ] as const) {
    const gitRun = () => gitGrep(ctx, regex ? '-E' : '-F', pattern)
    const gitpgRun = () => gitpgGrep(ctx, regex, pattern)
    const expected = await gitRun()
    const gitTiming = await measure({ reps: ctx.reps.latency, warmup: 1, fn: gitRun })
    let warm: Cell = notBuilt
    let cold: Cell = notBuilt
    let wrong: string | undefined
    const side = ctx.gitpg
    if (side) {
      try {
        const timing = await measureFresh(side, ctx.reps.heavy, async () => {
          wrong = compareLists(await gitpgRun(), expected, { noun: ['match', 'matches'] })
        })
        cold = timingCell(timing, false)
      } catch (err) {
        cold = failed(err)
      }
      try {
        warm = timingCell(await measure({ reps: ctx.reps.latency, warmup: 1, fn: gitpgRun }))
      } catch (err) {
        warm = failed(err)
      }
    }
    const what = `grep of a ${kind} over HEAD (${expected.length} lines), ${name}`
    const notes = `git grep -n -I ${regex ? '-E' : '-F'} -e '${pattern}' HEAD`
    ctx.report.add({
      operation: `${what}, warm`,
      unit: 'ms',
      gitpg: warm,
      git: timingCell(gitTiming),
      target: ratioAtMost(target),
      notes,
      wrong,
    })
    ctx.report.add({
      operation: `${what}, fresh server`,
      unit: 'ms',
      gitpg: cold,
      git: timingCell(gitTiming, false),
      target: ratioAtMost(3),
      notes: 'first request after start',
      wrong,
    })
  }
}
