/**
 * The queries that read stored object rows by id. Ids are joined as a set (`unnest`), one index
 * look-up each, and chains are followed with a `LATERAL ... LIMIT 1` look-up per row: with
 * `oid = ANY(...)` or a plain join, a table whose statistics are missing or stale (just after an
 * import) is planned as a scan of the whole repository's rows for every batch.
 */

/**
 * Values of this size or more are not sent in a row: node-postgres receives a `bytea` as hex
 * text, which past ~256 MB is longer than a JavaScript string can be (read them in pieces).
 */
export const LARGE_CONTENT = 32 * 1024 * 1024

const DATA = `CASE WHEN octet_length(g.data) <= ${LARGE_CONTENT} THEN g.data END AS data`

/**
 * The rows of the distinct ids `$2` of repository `$1`, as stored.
 *
 * @example
 * const { rows } = await db.query(SELECT_ROWS, [repoId, oids])
 */
export const SELECT_ROWS = `SELECT g.oid, g.type, g.size, g.zlib, g.base, ${DATA}
  FROM unnest($2::bytea[]) AS u(oid)
  JOIN git_objects g ON g.repo_id = $1 AND g.oid = u.oid`

/**
 * The rows of the ids `$2` of repository `$1` and of every delta base below them, to the ends of
 * their chains, in one query: a chain is read in one round trip rather than one a level.
 *
 * @example
 * const { rows } = await db.query(SELECT_CHAINS, [repoId, bases])
 */
export const SELECT_CHAINS = `WITH RECURSIVE chain(oid, base) AS (
    SELECT g.oid, g.base FROM unnest($2::bytea[]) AS u(oid)
    CROSS JOIN LATERAL (SELECT oid, base FROM git_objects
      WHERE repo_id = $1 AND oid = u.oid LIMIT 1) AS g
  UNION
    SELECT g.oid, g.base FROM chain c
    CROSS JOIN LATERAL (SELECT oid, base FROM git_objects
      WHERE repo_id = $1 AND oid = c.base LIMIT 1) AS g
  )
  SELECT g.oid, g.type, g.size, g.zlib, g.base, ${DATA}
  FROM chain c
  CROSS JOIN LATERAL (SELECT * FROM git_objects WHERE repo_id = $1 AND oid = c.oid LIMIT 1) AS g`

/**
 * The rows of the ids `$2` (in their order) of repository `$1`, with `wanted` true while the
 * running total of sizes stays within `$3` bytes (and always for the first): only wanted rows
 * carry their data, so the others are never detoasted.
 *
 * @example
 * const { rows } = await db.query(SELECT_WITHIN, [repoId, oids, 8 << 20])
 */
export const SELECT_WITHIN = `SELECT oid, type, size, zlib, base, wanted,
    CASE WHEN wanted AND octet_length(data) <= ${LARGE_CONTENT} THEN data END AS data
  FROM (SELECT g.oid, g.type, g.size, g.zlib, g.base, g.data, u.at,
          (sum(g.size) OVER (ORDER BY u.at) <= $3 OR u.at = min(u.at) OVER ()) AS wanted
        FROM unnest($2::bytea[]) WITH ORDINALITY AS u(oid, at)
        JOIN git_objects g ON g.repo_id = $1 AND g.oid = u.oid) AS found
  ORDER BY at`

/**
 * `SELECT_WITHIN` as a binary COPY (`CopyRowParser`'s six fields, `type` NULL where not wanted): bytes
 * as they are stored rather than hex text of twice their size. COPY takes no parameters, so the
 * values are written in: an integer, hex digits and an integer, checked here.
 *
 * @example
 * client.query(copyTo(copyWithinSql({ repoId, oids: ['1f0e…'], maxBytes: 8 << 20 })))
 */
export function copyWithinSql({
  repoId,
  oids,
  maxBytes,
}: {
  repoId: number
  oids: readonly string[]
  maxBytes: number
}): string {
  if (!Number.isSafeInteger(repoId) || !Number.isSafeInteger(maxBytes))
    throw new TypeError('repository id and byte budget must be integers')
  for (const oid of oids) if (!/^[0-9a-f]{40}$/.test(oid)) throw new TypeError(`bad id ${oid}`)
  const ids = `'{${oids.map((o) => `\\\\x${o}`).join(',')}}'::bytea[]`
  return `COPY (SELECT oid, size, zlib,
      CASE WHEN wanted AND octet_length(data) <= ${LARGE_CONTENT} THEN data END AS data, base,
      CASE WHEN wanted THEN type END AS type
    FROM (SELECT g.oid, g.type, g.size, g.zlib, g.base, g.data, u.at,
            (sum(g.size) OVER (ORDER BY u.at) <= ${maxBytes} OR u.at = min(u.at) OVER ()) AS wanted
          FROM unnest(${ids}) WITH ORDINALITY AS u(oid, at)
          JOIN git_objects g ON g.repo_id = ${repoId} AND g.oid = u.oid) AS found
    ORDER BY at) TO STDOUT (FORMAT binary)`
}
