import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { GitpgServer } from '../lib/gitpg-server.ts'
import { atMost, none, type Cell, type Report } from '../lib/report.ts'
import { allCases } from '../hostile/all-cases.ts'
import { runCase, type CaseResult } from '../hostile/run-case.ts'

const MB = 2 ** 20
export const RSS_TARGET = 512 * MB
export const HEALTH_TARGET_MS = 1000
/** A server past this is killed, so one runaway case cannot take the shared machine. */
export const RSS_CAP = 3 * 2 ** 30

export const HOSTILE_CASES = [...allCases({ scale: 1, dir: '' }).keys()]

/** Why a case fails, or an empty list. */
function failures(r: CaseResult, maxGrowth?: number): string[] {
  const out: string[] = []
  if (r.outcome.fault) out.push(r.outcome.fault)
  if (r.peak !== null && r.peak > RSS_TARGET) out.push('RSS')
  if (r.peak !== null && r.baseline !== null && maxGrowth && r.peak - r.baseline > maxGrowth)
    out.push('RSS growth')
  if (r.health && r.health.worstMs > HEALTH_TARGET_MS) out.push('/health')
  return out
}

const mbText = (bytes: number | null) => (bytes === null ? '—' : `${(bytes / MB).toFixed(0)} MB`)
const healthText = (r: CaseResult) =>
  r.health === null
    ? '—'
    : `${r.health.worstMs.toFixed(0)} ms` +
      (r.health.failures ? ` (${r.health.failures} of ${r.health.polls} polls failed)` : '')

/**
 * Hostile and outsized input against a gitpg server running with its default limits (the
 * environment's GITPG_* settings apply): each case on a fresh server process, with the server's
 * peak RSS, its growth, the worst `/health` latency and the outcome. Targets: RSS ≤ 512 MB and
 * `/health` ≤ 1 s in every case (a push of 1 GiB also grows RSS by ≤ 128 MB); a crash, a
 * timeout or a 5xx fails the case whatever its figures.
 */
export async function benchHostile({
  report,
  databaseUrl,
  work,
  dataDir,
  scale,
  only = HOSTILE_CASES,
}: {
  report: Report
  databaseUrl: string
  work: string
  dataDir: string
  scale: number
  only?: string[]
}): Promise<void> {
  const logFile = join(work, 'hostile-server.log')
  writeFileSync(logFile, '')
  const start = () => GitpgServer.start({ databaseUrl, logFile, settings: {} })
  const cases = allCases({ scale, dir: join(dataDir, 'hostile') })
  const lines: string[][] = []
  for (const id of only) {
    const hostile = cases.get(id)!
    console.log(`  hostile ${id}: ${hostile.name} (time limit ${hostile.timeoutMs / 1000} s) ...`)
    const r = await runCase({ hostile, start, logFile, capBytes: RSS_CAP })
    const why = failures(r, hostile.maxGrowth)
    const growth = r.peak !== null && r.baseline !== null ? r.peak - r.baseline : null
    const outcome = `${r.outcome.text} in ${(r.ms / 1000).toFixed(1)} s`
    const growthTarget = hostile.maxGrowth ? ` (target ≤ ${mbText(hostile.maxGrowth)})` : ''
    const notes = `${outcome}; RSS growth ${mbText(growth)}${growthTarget}`
    const over =
      growth !== null && hostile.maxGrowth !== undefined && growth > hostile.maxGrowth
        ? `RSS grew ${mbText(growth)}, over ${mbText(hostile.maxGrowth)}`
        : undefined
    const cell = (value: number | null | undefined): Cell =>
      value === null || value === undefined ? { missing: 'not measured' } : { value }
    report.add({
      operation: `hostile: ${r.name}: server peak RSS`,
      unit: 'MB',
      gitpg: cell(r.peak === null ? null : r.peak / MB),
      git: none,
      target: atMost(RSS_TARGET / MB, 'MB'),
      notes,
      fault: r.outcome.fault ?? over,
    })
    report.add({
      operation: `hostile: ${r.name}: worst /health`,
      unit: 'ms',
      gitpg: cell(r.health?.worstMs),
      git: none,
      target: atMost(HEALTH_TARGET_MS, 'ms'),
      notes: r.health?.failures
        ? `${r.health.failures} of ${r.health.polls} polls failed`
        : undefined,
      fault: r.outcome.fault,
    })
    lines.push([
      r.name,
      outcome,
      mbText(r.peak),
      mbText(growth),
      healthText(r),
      why.length === 0 ? 'PASS' : `FAIL (${why.join(', ')})`,
    ])
  }
  const head = ['case', 'outcome', 'peak RSS', 'RSS growth', 'worst /health', 'result']
  const esc = (s: string) => s.replace(/\|/g, '\\|')
  const table = [head, head.map(() => '---'), ...lines]
    .map((cols) => `| ${cols.map(esc).join(' | ')} |`)
    .join('\n')
  console.log(
    `\nhostile input (scale ${scale}; targets: peak RSS ≤ 512 MB, /health ≤ 1 s):\n${table}\n`,
  )
  writeFileSync(join(work, 'hostile-table.md'), table + '\n')
}
