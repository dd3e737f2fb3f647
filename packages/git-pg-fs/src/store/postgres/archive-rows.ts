import type { Executor } from './database.ts'
import { oidBytes } from './oid-bytes.ts'

/** Ids read per query. */
const CHUNK = 2000

/** A row's bytes as stored: a delta's can go into a pack as they are when its base goes too. */
export interface StoredForm {
  /** the delta base, or null for a whole object */
  base: string | null
  zlib: boolean
  data: Buffer
}

/**
 * The stored form of the rows of `oids` (those that are rows), by id: for objects archive packs,
 * which are at most a few MB (larger ones stay rows).
 *
 * @example
 * const stored = await readStoredForms(db, { repoId, oids })
 */
export async function readStoredForms(
  executor: Executor,
  { repoId, oids }: { repoId: number; oids: readonly string[] },
): Promise<Map<string, StoredForm>> {
  const out = new Map<string, StoredForm>()
  for (let i = 0; i < oids.length; i += CHUNK) {
    const { rows } = await executor.query<StoredForm & { oid: string }>(
      `SELECT encode(g.oid, 'hex') AS oid, encode(g.base, 'hex') AS base, g.zlib, g.data
       FROM unnest($2::bytea[]) AS u(oid)
       CROSS JOIN LATERAL (SELECT oid, base, zlib, data FROM git_objects
         WHERE repo_id = $1 AND oid = u.oid LIMIT 1) AS g`,
      [repoId, oidBytes(oids.slice(i, i + CHUNK))],
    )
    for (const { oid, ...form } of rows) out.set(oid, form)
  }
  return out
}
