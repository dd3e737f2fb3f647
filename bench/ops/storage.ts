import type pg from 'pg'
import type { BenchContext } from '../lib/context.ts'
import { atMost, failed, none, notBuilt, ratioAtMost, type Cell } from '../lib/report.ts'

const MB = 1024 * 1024

/**
 * The bytes of `table` (heap, TOAST, indexes) that one project's rows take: the table's total size
 * times the project's share of its rows.
 */
export async function projectShare(
  db: pg.Client,
  { table, repoId }: { table: string; repoId: number },
): Promise<number> {
  const { rows } = await db.query<{ size: string; mine: string; all: string }>(
    `SELECT pg_total_relation_size($1::regclass) AS size,
            count(*) FILTER (WHERE repo_id = $2) AS mine, count(*) AS all
     FROM ${table}`,
    [table, repoId],
  )
  const all = Number(rows[0].all)
  return all === 0 ? 0 : (Number(rows[0].size) * Number(rows[0].mine)) / all
}

/**
 * Postgres bytes of the project against the size of its git packfile: for every table keyed by
 * `repo_id`, the table's total size (heap, TOAST, indexes) times the project's share of its rows.
 */
export async function benchStorage(ctx: BenchContext): Promise<void> {
  let gitpg: Cell = notBuilt
  let detail = ''
  if (ctx.gitpg) {
    try {
      const repo = await ctx.db.query<{ repo_id: number }>(
        'SELECT repo_id FROM repos WHERE name = $1',
        [ctx.project],
      )
      if (repo.rows.length === 0) throw new Error(`project ${ctx.project} not in the database`)
      const repoId = repo.rows[0].repo_id
      const tables = await ctx.db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.columns
         WHERE table_schema = 'public' AND column_name = 'repo_id' ORDER BY table_name`,
      )
      let total = 0
      const parts: string[] = []
      for (const { table_name: table } of tables.rows) {
        const share = await projectShare(ctx.db, { table, repoId })
        total += share
        if (share > 0.05 * MB) parts.push(`${table} ${(share / MB).toFixed(1)}`)
      }
      gitpg = { value: total / MB }
      detail = parts.join(', ')
    } catch (err) {
      gitpg = failed(err)
    }
  }
  ctx.report.add({
    operation: `Postgres bytes vs packfile, ${ctx.repo.name}`,
    unit: 'MB',
    gitpg,
    git: { value: ctx.repo.packBytes / MB },
    target: ratioAtMost(3),
    notes: detail ? `MB by table: ${detail}` : 'git: size-pack of the repacked repository',
  })
}

/** Peak resident memory of the gitpg server processes. */
export function benchMemory(ctx: BenchContext, label: string, bytes: number | null): void {
  ctx.report.add({
    operation: `server RSS peak, ${label}`,
    unit: 'MB',
    gitpg: bytes === null ? notBuilt : { value: bytes / MB },
    git: none,
    target: atMost(512, 'MB'),
  })
}
