/**
 * Measures the alternative to grep's scan: a PostgreSQL `pg_trgm` GIN index over the text of the
 * blobs at HEAD. Run after `pnpm bench --only=grep` (it reads the imported project `bench` of
 * the database gitpg_bench):
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/gitpg_bench tsx bench/grep-trigram.ts
 *
 * Prints the index's build time and size and, for each pattern, how many blobs the index lets
 * through and how long the indexed query takes; the scan's figures are in the grep rows of the
 * benchmark. Leaves the database as it found it.
 */
import { execFileSync } from 'node:child_process'
import { isUtf8 } from 'node:buffer'
import pg from 'pg'
import { dataDir } from './data/generate.ts'

const PATTERNS: [name: string, sql: string, value: string][] = [
  ['fixed string TODO', `body LIKE $1`, '%TODO%'],
  ['regular expression', `body ~ $1`, 'new [A-Z][A-Za-z]+Error\\('],
  ['rare identifier', `body LIKE $1`, '%createHash%'],
]

async function main() {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gitpg_bench'
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  const gitdir = `${dataDir()}/monorepo.git`
  const blobs = execFileSync('git', ['ls-tree', '-r', 'HEAD'], { cwd: gitdir, maxBuffer: 1 << 28 })
    .toString()
    .split('\n')
    .filter((l) => l.includes(' blob '))
    .map((l) => l.split(/\s/)[2])
  const { rows: repo } = await db.query(`SELECT repo_id FROM repos WHERE name = 'bench'`)
  const repoId = repo[0].repo_id
  const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    await db.query('DROP TABLE IF EXISTS grep_probe')
    await db.query('CREATE TABLE grep_probe (oid bytea PRIMARY KEY, body text NOT NULL)')
    let loaded = 0
    let skipped = 0
    let started = performance.now()
    for (let i = 0; i < blobs.length; i += 1000) {
      const { rows } = await db.query<{ oid: Buffer; data: Buffer }>(
        'SELECT oid, data FROM git_objects WHERE repo_id = $1 AND oid = ANY($2::bytea[])',
        [repoId, blobs.slice(i, i + 1000).map((o) => `\\x${o}`)],
      )
      const text = rows.filter((r) => isUtf8(r.data) && !r.data.includes(0))
      skipped += rows.length - text.length
      if (text.length === 0) continue
      await db.query(
        'INSERT INTO grep_probe SELECT * FROM unnest($1::bytea[], $2::text[]) ON CONFLICT DO NOTHING',
        [text.map((r) => r.oid), text.map((r) => r.data.toString('utf8'))],
      )
      loaded += text.length
    }
    console.log(`loaded ${loaded} text blobs (${skipped} binary or not UTF-8) in ${ms(started)}`)
    started = performance.now()
    await db.query('CREATE INDEX grep_probe_trgm ON grep_probe USING gin (body gin_trgm_ops)')
    const { rows: size } = await db.query<{ table: string; index: string }>(
      `SELECT pg_size_pretty(pg_total_relation_size('grep_probe') - pg_relation_size('grep_probe_trgm')) AS table,
              pg_size_pretty(pg_relation_size('grep_probe_trgm')) AS index`,
    )
    console.log(
      `GIN trigram index built in ${ms(started)}: ${size[0].index} (table ${size[0].table})`,
    )
    await db.query('ANALYZE grep_probe')
    for (const [name, where, value] of PATTERNS) {
      for (const indexed of [true, false]) {
        await db.query(`SET enable_bitmapscan = ${indexed}`)
        await db.query(`SET enable_indexscan = ${indexed}`)
        const times: number[] = []
        let count = 0
        for (let rep = 0; rep < 5; rep++) {
          const t = performance.now()
          const { rows } = await db.query(`SELECT oid FROM grep_probe WHERE ${where}`, [value])
          times.push(performance.now() - t)
          count = rows.length
        }
        times.sort((a, b) => a - b)
        console.log(
          `${name}: ${count} blobs, ${indexed ? 'index' : 'sequential scan'} median ${times[2].toFixed(0)} ms`,
        )
      }
    }
  } finally {
    await db.query('DROP TABLE IF EXISTS grep_probe')
    await db.end()
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
