import { deflateSync } from 'node:zlib'
import type { Database } from './database.ts'
import { MIGRATION_LOCK } from './migrate.ts'

/** Rows converted per transaction: a batch's contents are in memory at once. */
const BATCH_ROWS = 500
const BATCH_BYTES = 16 << 20
/** Recorded with the migrations once every object is converted. */
const DONE = 'convert-objects-packed'
/** Contents up to this size are read with their batch's query. */
const INLINE = 64 * 1024

/**
 * Compresses the objects stored before the packed format (`zlib` false) in place, in bounded
 * batches, each its own transaction, under the migration lock: servers starting together convert
 * once, and a conversion cut short resumes where it stopped. Returns how many rows it converted.
 *
 * @example
 * await migrate({ db, scope: 'git', dir: GIT_MIGRATIONS_DIR })
 * await convertObjects(db)
 */
export async function convertObjects(db: Database): Promise<number> {
  const client = await db.pool.connect()
  let converted = 0
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    // once done, recorded: a start does not scan the objects again
    const done = await client.query(
      `SELECT 1 FROM gitpg_migrations WHERE scope = 'git' AND name = $1`,
      [DONE],
    )
    if (done.rows.length > 0) return 0
    let after: { repoId: number; oid: Buffer } = { repoId: -1, oid: Buffer.alloc(0) }
    for (;;) {
      await client.query('BEGIN')
      try {
        // small contents come with the batch; a larger one is read on its own
        const { rows } = await client.query<{
          repo_id: number
          oid: Buffer
          size: number
          data: Buffer | null
        }>(
          `SELECT repo_id, oid, size, CASE WHEN size <= ${INLINE} THEN data END AS data
           FROM git_objects WHERE (repo_id, oid) > ($2, $3) AND NOT zlib
           ORDER BY repo_id, oid LIMIT $1 FOR UPDATE`,
          [BATCH_ROWS, after.repoId, after.oid],
        )
        let bytes = 0
        const batch = rows.filter((r) => (bytes += r.size) <= BATCH_BYTES || r === rows[0])
        // in key order, by the primary key: each batch starts where the last one stopped
        if (batch.length > 0) after = { repoId: batch.at(-1)!.repo_id, oid: batch.at(-1)!.oid }
        const packed: Buffer[] = []
        for (const r of batch) {
          const data =
            r.data ??
            (
              await client.query<{ data: Buffer }>(
                'SELECT data FROM git_objects WHERE repo_id = $1 AND oid = $2',
                [r.repo_id, r.oid],
              )
            ).rows[0].data
          packed.push(deflateSync(data))
        }
        await client.query(
          `UPDATE git_objects o SET data = x.data, zlib = true, base = NULL, depth = 0
           FROM unnest($1::int4[], $2::bytea[], $3::bytea[]) AS x(repo_id, oid, data)
           WHERE o.repo_id = x.repo_id AND o.oid = x.oid`,
          [batch.map((r) => r.repo_id), batch.map((r) => r.oid), packed],
        )
        await client.query('COMMIT')
        converted += batch.length
        if (batch.length === 0) break
      } catch (err) {
        await client.query('ROLLBACK')
        throw err
      }
    }
    await client.query(`INSERT INTO gitpg_migrations (scope, name) VALUES ('git', $1)`, [DONE])
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    client.release()
  }
  return converted
}
