import type pg from 'pg'
import copyStreams from 'pg-copy-streams'
import { TYPE_CODE, type ObjectType } from '../../objects/git-object.ts'
import type { Executor } from './database.ts'
import type { StoredRow } from './resolve-objects.ts'
import { CopyRowParser } from './copy-row-parser.ts'

/** Rows per page when the server cannot COPY. */
const PAGE = 2000

export interface ObjectsQuery {
  repoId: number
  type: ObjectType
  /** ids from `from` (inclusive) to `to` (exclusive, none: to the end) */
  from: Buffer
  to: Buffer | null
}

/** The `part`-th of `parts` equal ranges of object ids, by their first byte. */
export function idRange(range?: { part: number; parts: number }): {
  from: Buffer
  to: Buffer | null
} {
  const { part = 0, parts = 1 } = range ?? {}
  if (!(Number.isInteger(parts) && parts >= 1 && parts <= 256 && part >= 0 && part < parts))
    throw new RangeError(`no part ${part} of ${parts}`)
  const bound = (i: number) => Buffer.from([Math.round((i * 256) / parts)])
  return {
    from: part === 0 ? Buffer.alloc(0) : bound(part),
    to: part === parts - 1 ? null : bound(part + 1),
  }
}

/**
 * Every stored row of a type in a repository as binary COPY rows (`oid`, `size`, `zlib`, `data`,
 * `base`), in batches as they come off the socket: no hex text to decode, and memory holds a
 * socket read or two.
 */
export async function* copyObjectsOut(
  client: pg.PoolClient,
  { repoId, type, from, to }: ObjectsQuery,
): AsyncGenerator<StoredRow[]> {
  if (!Number.isSafeInteger(repoId)) throw new TypeError(`bad repository id ${repoId}`)
  // COPY takes no parameters: the literals are an integer and hex digits
  const range = `${from.length > 0 ? `AND oid >= '\\x${from.toString('hex')}'::bytea` : ''}
       ${to ? `AND oid < '\\x${to.toString('hex')}'::bytea` : ''}`
  const stream = client.query(
    copyStreams.to(
      `COPY (SELECT oid, size, zlib, data, base FROM git_objects
       WHERE repo_id = ${repoId} AND type = ${TYPE_CODE[type]} ${range})
       TO STDOUT (FORMAT binary)`,
    ),
  )
  const rows = new CopyRowParser(TYPE_CODE[type])
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const batch = rows.push(chunk)
    if (batch.length > 0) yield batch as StoredRow[]
  }
  if (!rows.ended) throw new Error('COPY ended before its trailer')
}

/** The same rows without COPY (the embedded database): pages in key order. */
export async function* pageObjects(
  executor: Executor,
  { repoId, type, from, to }: ObjectsQuery,
): AsyncGenerator<StoredRow[]> {
  let after = from
  let first = true
  for (;;) {
    const { rows } = await executor.query<StoredRow>(
      `SELECT oid, type, size, zlib, base, data FROM git_objects
       WHERE repo_id = $1 AND type = $2 AND (oid > $3 OR ($4 AND oid = $3)) AND ($5::bytea IS NULL OR oid < $5)
       ORDER BY oid LIMIT ${PAGE}`,
      [repoId, TYPE_CODE[type], after, first, to],
    )
    if (rows.length === 0) return
    yield rows
    after = rows[rows.length - 1].oid
    first = false
  }
}
