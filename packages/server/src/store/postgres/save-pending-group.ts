import { encodePath, type Database } from '@gitpg/git-pg-fs'
import type { PendingChange, SavePendingInput } from '../pending-store.ts'
import { FEED_CHANNEL } from './feed-store.ts'
import { toChange, type PendingRow } from './pending-row.ts'

/**
 * Content bytes one group statement carries at most (a larger save goes alone): the statement
 * copies its contents into one parameter and the driver copies that into its message, so a
 * group's size is paid up to three times over while it is written.
 */
export const GROUP_MAX_BYTES = 8 * 1024 * 1024

/** Content bytes of one save, for `GROUP_MAX_BYTES`. */
export const saveBytes = (input: SavePendingInput): number => input.content?.length ?? 0

/** Pending content up to this size travels inside its feed event. */
export const INLINE_CONTENT_LIMIT = 4096

/** The content a save's feed event carries inline (base64), if small enough. */
export const inlineContent = (input: SavePendingInput): string | null =>
  input.content && input.content.length <= INLINE_CONTENT_LIMIT
    ? input.content.toString('base64')
    : null

/**
 * Appends a save's `pending_changes` columns (repo_id, user_id, path, action, content, oid,
 * size) to `values`; returns their placeholders. Contents go as separate parameters:
 * node-postgres sends a Buffer parameter as binary, but a bytea[] array as hex text.
 */
export function pendingRowParams(values: unknown[], x: SavePendingInput): string {
  const n = values.push(
    x.repoId,
    x.userId,
    encodePath(x.path),
    x.action,
    x.content,
    x.oid,
    x.content?.length ?? 0,
  )
  return `$${n - 6}::int4, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}::bytea, $${n - 1}, $${n}::int4`
}

/**
 * `bytea[]` in PostgreSQL's binary array format (one dimension, lower bound 1). node-postgres
 * sends a Buffer parameter in binary, so a group's contents travel as one parameter of their own
 * bytes, with no hex text to build or parse.
 */
export function byteaArray(items: readonly (Buffer | null)[]): Buffer {
  let size = 20
  for (const b of items) size += 4 + (b?.length ?? 0)
  const out = Buffer.allocUnsafe(size)
  out.writeInt32BE(1, 0) // dimensions
  out.writeInt32BE(items.includes(null) ? 1 : 0, 4) // has nulls
  out.writeUInt32BE(17, 8) // element type: bytea
  out.writeInt32BE(items.length, 12)
  out.writeInt32BE(1, 16) // lower bound
  let at = 20
  for (const b of items) {
    out.writeInt32BE(b ? b.length : -1, at)
    at += 4
    if (b) at += b.copy(out, at)
  }
  return out
}

/**
 * Unconditional saves of distinct (repository, user, path) keys, with their feed events, as one
 * statement: a single statement is its own transaction, so the saves and their events commit
 * together, and the caller is answered after the commit, in one round trip instead of six
 * (BEGIN, upsert, feed head, events, notify, COMMIT). The events are those `appendEvents` writes
 * (kind, payload, gapless `seq` allocated under the feed head's row lock, one notification per
 * project). Locks are taken in the same order as a transaction that saves and then appends:
 * the pending rows, then the feed heads (by repo_id).
 *
 * The group goes as one array per column, so the statement's text is the same for every group
 * and is kept prepared: parsing and planning it anew for each group cost the database more than
 * the writes.
 */
export async function savePendingGroup(
  db: Database,
  inputs: readonly SavePendingInput[],
): Promise<PendingChange[]> {
  // a lone save sends its content as is: no second copy of it in a bytea[]
  const one = inputs.length === 1
  const [name, sql] = one
    ? ['gitpg_save_pending_one', SAVE_ONE]
    : ['gitpg_save_pending_group', SAVE_GROUP]
  const { rows } = await db.queryPrepared<PendingRow>(name, sql, [
    FEED_CHANNEL,
    inputs.map((x) => x.repoId),
    inputs.map((x) => x.userId),
    inputs.map((x) => encodePath(x.path)),
    inputs.map((x) => x.action),
    one ? inputs[0].content : byteaArray(inputs.map((x) => x.content)),
    inputs.map((x) => x.oid),
    inputs.map((x) => x.content?.length ?? 0),
    inputs.map(inlineContent),
  ])
  return rows.map(toChange)
}

const SAVE_GROUP = `WITH saved AS (
    -- straight from the arrays, in their order: the contents are never copied into a CTE or sorted
    INSERT INTO pending_changes (repo_id, user_id, path, action, content, oid, size)
    SELECT * FROM unnest($2::int4[], $3::text[], $4::bytea[], $5::text[], $6::bytea[], $7::text[],
      $8::int4[])
    ON CONFLICT (repo_id, user_id, path) DO UPDATE SET action = EXCLUDED.action,
      content = EXCLUDED.content, oid = EXCLUDED.oid, size = EXCLUDED.size,
      version = nextval('pending_change_version'), updated_at = clock_timestamp()
    RETURNING repo_id, user_id, path, action, oid, size, version, updated_at
  ), input AS (
    SELECT * FROM unnest($2::int4[], $3::text[], $4::bytea[], $9::text[])
      WITH ORDINALITY AS t(repo_id, user_id, path, inline, ord)
  ), heads AS (
    INSERT INTO project_feed_heads (repo_id, seq)
    SELECT repo_id, count(*) FROM saved GROUP BY repo_id ORDER BY repo_id
    ON CONFLICT (repo_id) DO UPDATE SET seq = project_feed_heads.seq + EXCLUDED.seq
    RETURNING repo_id, seq
  ), numbered AS (
    SELECT i.ord, s.repo_id, s.user_id, s.path, s.action, s.oid, s.size, s.version,
      s.updated_at, i.inline,
      h.seq - count(*) OVER (PARTITION BY s.repo_id)
        + row_number() OVER (PARTITION BY s.repo_id ORDER BY i.ord) AS seq
    FROM saved s JOIN input i USING (repo_id, user_id, path) JOIN heads h USING (repo_id)
  ), events AS (
    INSERT INTO project_events (repo_id, seq, kind, user_id, path, payload)
    SELECT repo_id, seq,
      CASE action WHEN 'deleted' THEN 'pending.deleted' ELSE 'pending.saved' END,
      user_id, path,
      jsonb_build_object('action', action, 'oid', oid, 'size', size, 'version', version::text)
        || CASE WHEN inline IS NULL THEN '{}'::jsonb
                ELSE jsonb_build_object('content', inline) END
    FROM numbered ORDER BY repo_id, seq
  ), notified AS (
    SELECT count(pg_notify($1, repo_id || ':' || seq)) AS n FROM heads
  )
  SELECT ord, path, action, oid, size, version, updated_at, (SELECT n FROM notified) AS notified
  FROM numbered ORDER BY ord`

/** `SAVE_GROUP` for one save, its content a plain `bytea` parameter. */
const SAVE_ONE = SAVE_GROUP.replace('$6::bytea[]', 'ARRAY[$6::bytea]')
