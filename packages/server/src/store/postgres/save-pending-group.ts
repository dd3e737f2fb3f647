import type { Executor } from '@gitpg/git-pg-fs'
import type { PendingChange, SavePendingInput } from '../pending-store.ts'
import { FEED_CHANNEL } from './feed-store.ts'

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
    x.path,
    x.action,
    x.content,
    x.oid,
    x.content?.length ?? 0,
  )
  return `$${n - 6}::int4, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}::bytea, $${n - 1}, $${n}::int4`
}

interface Row {
  ord: number
  path: string
  action: PendingChange['action']
  oid: string | null
  size: number
  version: string
  updated_at: Date
}

/**
 * Unconditional saves of distinct (repository, user, path) keys, with their feed events, as one
 * statement: a single statement is its own transaction, so the saves and their events commit
 * together, and the caller is answered after the commit, in one round trip instead of six
 * (BEGIN, upsert, feed head, events, notify, COMMIT). The events are those `appendEvents` writes
 * (kind, payload, gapless `seq` allocated under the feed head's row lock, one notification per
 * project). Locks are taken in the same order as a transaction that saves and then appends:
 * the pending rows, then the feed heads (by repo_id).
 */
export async function savePendingGroup(
  db: Executor,
  inputs: readonly SavePendingInput[],
): Promise<PendingChange[]> {
  const values: unknown[] = [FEED_CHANNEL]
  const tuples = inputs.map((x, i) => {
    const row = pendingRowParams(values, x)
    return `(${i}, ${row}, $${values.push(inlineContent(x))})`
  })
  const { rows } = await db.query<Row>(
    `WITH input (ord, repo_id, user_id, path, action, content, oid, size, inline) AS (
       VALUES ${tuples.join(', ')}
     ), saved AS (
       INSERT INTO pending_changes (repo_id, user_id, path, action, content, oid, size)
       SELECT repo_id, user_id, path, action, content, oid, size FROM input ORDER BY ord
       ON CONFLICT (repo_id, user_id, path) DO UPDATE SET action = EXCLUDED.action,
         content = EXCLUDED.content, oid = EXCLUDED.oid, size = EXCLUDED.size,
         version = nextval('pending_change_version'), updated_at = clock_timestamp()
       RETURNING repo_id, user_id, path, action, oid, size, version, updated_at
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
     FROM numbered ORDER BY ord`,
    values,
  )
  return rows.map((r) => ({
    path: r.path,
    action: r.action,
    oid: r.oid,
    size: r.size,
    version: String(r.version),
    updatedAt: r.updated_at,
  }))
}
