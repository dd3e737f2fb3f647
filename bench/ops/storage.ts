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
 * The bytes of `git_packs` (heap, TOAST, indexes) one project's packs take: the table's total size
 * times the project's share of the packs' bytes (a pack row holds thousands of objects, so a share
 * of rows would say nothing).
 */
export async function packsShare(db: pg.Client, repoId: number): Promise<number> {
  const { rows } = await db.query<{ size: string; mine: string | null; all: string | null }>(
    `SELECT pg_total_relation_size('git_packs') AS size,
            sum(octet_length(data) + octet_length(idx)) FILTER (WHERE repo_id = $1) AS mine,
            sum(octet_length(data) + octet_length(idx)) AS all
     FROM git_packs`,
    [repoId],
  )
  const all = Number(rows[0].all ?? 0)
  return all === 0 ? 0 : (Number(rows[0].size) * Number(rows[0].mine ?? 0)) / all
}

/** A project's bytes in every table keyed by `repo_id`, and the tables over 0.05 MB. */
async function projectBytes(
  db: pg.Client,
  repoId: number,
): Promise<{ total: number; detail: string }> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns
     WHERE table_schema = 'public' AND column_name = 'repo_id' ORDER BY table_name`,
  )
  let total = 0
  const parts: string[] = []
  for (const { table_name: table } of tables.rows) {
    const share =
      table === 'git_packs'
        ? await packsShare(db, repoId)
        : await projectShare(db, { table, repoId })
    total += share
    if (share > 0.05 * MB) parts.push(`${table} ${(share / MB).toFixed(1)}`)
  }
  return { total, detail: parts.join(', ') }
}

async function repoIdOf(db: pg.Client, project: string): Promise<number> {
  const repo = await db.query<{ repo_id: number }>('SELECT repo_id FROM repos WHERE name = $1', [
    project,
  ])
  if (repo.rows.length === 0) throw new Error(`project ${project} not in the database`)
  return repo.rows[0].repo_id
}

/**
 * Postgres bytes of the project against the size of its git packfile: for every table keyed by
 * `repo_id`, the table's total size (heap, TOAST, indexes) times the project's share of its rows
 * (of its bytes for `git_packs`). Measured right after the import, and on a second import of the
 * same repository after a maintenance run (`prune=now`: repack, archive into packs) and
 * `VACUUM FULL` of the tables (the rows archive moved out leave dead tuples until then); that
 * project is deleted after, so the other steps run on the imported rows as before.
 */
export async function benchStorage(ctx: BenchContext): Promise<void> {
  let gitpg: Cell = notBuilt
  let detail = ''
  let maintained: Cell = notBuilt
  let maintainedDetail = ''
  if (ctx.gitpg) {
    try {
      const bytes = await projectBytes(ctx.db, await repoIdOf(ctx.db, ctx.project))
      gitpg = { value: bytes.total / MB }
      detail = bytes.detail
    } catch (err) {
      gitpg = failed(err)
    }
    const project = `${ctx.project}-maintained`
    try {
      const api = ctx.gitpg.api
      await api.json('POST', `/projects/${project}/import`, { url: ctx.backend.url(ctx.repo.name) })
      const started = performance.now()
      const report = await api.json<{
        archive?: {
          archived: number
          packsWritten: number
          bytesBefore: number
          bytesAfter: number
        }
        repack: { deltified: number }
      }>('POST', `/projects/${project}/maintenance`, { prune: 'now' })
      const seconds = (performance.now() - started) / 1000
      const { rows } = await ctx.db.query<{ table_name: string }>(
        `SELECT DISTINCT table_name FROM information_schema.columns
         WHERE table_schema = 'public' AND column_name = 'repo_id'`,
      )
      for (const { table_name: table } of rows) await ctx.db.query(`VACUUM FULL ${table}`)
      const bytes = await projectBytes(ctx.db, await repoIdOf(ctx.db, project))
      maintained = { value: bytes.total / MB }
      const a = report.archive
      maintainedDetail =
        `maintenance ${seconds.toFixed(1)} s: ${report.repack.deltified} deltified, ` +
        (a
          ? `${a.archived} objects archived into ${a.packsWritten} packs ` +
            `(${(a.bytesBefore / MB).toFixed(1)} MB of rows → ${(a.bytesAfter / MB).toFixed(1)} MB); `
          : '') +
        `then VACUUM FULL; MB by table: ${bytes.detail}`
    } catch (err) {
      maintained = failed(err)
    } finally {
      await ctx.gitpg.api.request('DELETE', `/projects/${project}`).catch(() => {})
    }
  }
  const git = { value: ctx.repo.packBytes / MB }
  ctx.report.add({
    operation: `Postgres bytes vs packfile, ${ctx.repo.name}`,
    unit: 'MB',
    gitpg,
    git,
    target: ratioAtMost(3),
    notes: detail ? `MB by table: ${detail}` : 'git: size-pack of the repacked repository',
  })
  ctx.report.add({
    operation: `Postgres bytes vs packfile, ${ctx.repo.name}, after maintenance`,
    unit: 'MB',
    gitpg: maintained,
    git,
    target: ratioAtMost(1.5),
    notes: maintainedDetail || undefined,
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
