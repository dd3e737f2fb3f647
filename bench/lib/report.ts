import { writeFileSync } from 'node:fs'
import type { Timing } from './measure.ts'

/** How a row is judged: by gitpg/git ratio, or by gitpg's own figure against a bound. */
export type Target =
  | { kind: 'ratio'; max: number; text: string }
  | { kind: 'max'; max: number; text: string }
  | { kind: 'min'; min: number; text: string }
  | { kind: 'none'; text: string }

export const ratioAtMost = (max: number): Target => ({ kind: 'ratio', max, text: `≤ ${max}× git` })
export const atMost = (max: number, unit: string): Target => ({
  kind: 'max',
  max,
  text: `≤ ${max} ${unit}`.trim(),
})
export const atLeast = (min: number, unit: string): Target => ({
  kind: 'min',
  min,
  text: `≥ ${min} ${unit}`.trim(),
})
export const noTarget: Target = { kind: 'none', text: '—' }

/** One side of a row: a figure, or why there is none ('n/a (not built)', an error). */
export type Cell = { value: number; p99?: number; detail?: string } | { missing: string }

export interface Row {
  operation: string
  unit: string
  gitpg: Cell
  git: Cell
  target: Target
  notes?: string
  /** set when gitpg's answer differs from git's: the row fails whatever its speed */
  wrong?: string
  /** set when gitpg failed outright (crashed, timed out, answered 5xx): the row fails */
  fault?: string
}

export const timingCell = (t: Timing, withP99 = true): Cell => ({
  value: t.median,
  p99: withP99 && t.samples.length > 1 ? t.p99 : undefined,
  detail: t.asked ? `[${t.samples.length} of ${t.asked} runs: time budget]` : undefined,
})

const noteOf = (row: Row) =>
  [row.notes, row.wrong && `WRONG ANSWER: ${row.wrong}`, row.fault && `FAULT: ${row.fault}`]
    .filter(Boolean)
    .join('; ')

const NOT_BUILT = 'n/a (not built)'
export const notBuilt: Cell = { missing: NOT_BUILT }
/** no counterpart on this side */
export const none: Cell = { missing: '—' }
export const failed = (err: unknown): Cell => ({
  missing: `error: ${(err as Error).message.split('\n')[0].slice(0, 120)}`,
})

function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n)
  if (n >= 100) return n.toFixed(0)
  if (n >= 10) return n.toFixed(1)
  return n.toFixed(2)
}

function cellText(cell: Cell, unit: string): string {
  if ('missing' in cell) return cell.missing
  const p99 = cell.p99 !== undefined ? ` (p99 ${fmt(cell.p99)})` : ''
  return `${fmt(cell.value)}${unit ? ` ${unit}` : ''}${p99}${cell.detail ? ` ${cell.detail}` : ''}`
}

export function ratioOf(row: Row): number | null {
  if ('missing' in row.gitpg || 'missing' in row.git || row.git.value === 0) return null
  return row.gitpg.value / row.git.value
}

export function verdict(row: Row): 'pass' | 'FAIL' | 'n/a' {
  if (row.fault) return 'FAIL'
  if ('missing' in row.gitpg) return 'n/a'
  if (row.wrong) return 'FAIL'
  const t = row.target
  if (t.kind === 'none') return 'n/a'
  if (t.kind === 'ratio') {
    const r = ratioOf(row)
    return r === null ? 'n/a' : r <= t.max ? 'pass' : 'FAIL'
  }
  if (t.kind === 'max') return row.gitpg.value <= t.max ? 'pass' : 'FAIL'
  return row.gitpg.value >= t.min ? 'pass' : 'FAIL'
}

/** Collects rows, prints them as they come and as a final table, and writes results.json. */
export class Report {
  readonly rows: Row[] = []

  add(row: Row): void {
    this.rows.push(row)
    const r = ratioOf(row)
    console.log(
      `  ${row.operation}: gitpg ${cellText(row.gitpg, row.unit)} | git ${cellText(row.git, row.unit)}` +
        `${r !== null ? ` | ${fmt(r)}×` : ''} | ${verdict(row)}${noteOf(row) ? ` (${noteOf(row)})` : ''}`,
    )
  }

  table(): string {
    const head = ['operation', 'gitpg', 'git', 'ratio', 'target', 'pass/fail']
    const lines = this.rows.map((row) => {
      const r = ratioOf(row)
      return [
        row.operation + (noteOf(row) ? ` (${noteOf(row)})` : ''),
        cellText(row.gitpg, row.unit),
        cellText(row.git, row.unit),
        r === null ? '—' : `${fmt(r)}×`,
        row.target.text,
        verdict(row),
      ]
    })
    const esc = (s: string) => s.replace(/\|/g, '\\|')
    return [head, head.map(() => '---'), ...lines]
      .map((cols) => `| ${cols.map(esc).join(' | ')} |`)
      .join('\n')
  }

  write(path: string, meta: Record<string, unknown>): void {
    const rows = this.rows.map((row) => ({
      ...row,
      target: row.target.text,
      ratio: ratioOf(row),
      result: verdict(row),
    }))
    writeFileSync(path, JSON.stringify({ ...meta, rows }, null, 2) + '\n')
  }
}
