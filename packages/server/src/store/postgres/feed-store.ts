import type { Executor } from '@gitpg/git-pg-fs'
import { decodePath, encodePath } from '@gitpg/git-pg-fs'
import { ApiError } from '../../errors.ts'

export type EventKind = 'pending.saved' | 'pending.deleted' | 'pending.discarded' | 'ref.updated'

export interface NewEvent {
  kind: EventKind
  userId?: string | null
  path?: string | null
  payload: Record<string, unknown>
}

export interface FeedEvent {
  cursor: string
  kind: EventKind
  userId: string | null
  path: string | null
  createdAt: string
  [key: string]: unknown
}

export const FEED_CHANNEL = 'gitpg_events'

interface EventRow {
  seq: string
  kind: EventKind
  user_id: string | null
  path: Buffer | null
  payload: Record<string, unknown>
  created_at: Date
}

/**
 * Appends events to a project's feed. Call it with the executor of the transaction that makes the
 * change, so the event exists exactly when the change does. Notifies listeners on commit.
 */
export async function appendEvents(
  tx: Executor,
  repoId: number,
  events: readonly NewEvent[],
): Promise<string> {
  if (events.length === 0) return ''
  // one statement (one round trip in the writer's transaction): the head's row lock allocates
  // the seqs, the events take them in order, and listeners are told the last one on commit
  const { rows } = await tx.query<{ seq: string }>(
    `WITH head AS (
       INSERT INTO project_feed_heads (repo_id, seq) VALUES ($1, cardinality($2::text[]))
       ON CONFLICT (repo_id) DO UPDATE SET seq = project_feed_heads.seq + EXCLUDED.seq
       RETURNING seq
     ), added AS (
       INSERT INTO project_events (repo_id, seq, kind, user_id, path, payload)
       SELECT $1, head.seq - cardinality($2::text[]) + e.n, e.kind, e.user_id, e.path, e.payload
       FROM head, unnest($2::text[], $3::text[], $4::bytea[], $5::jsonb[])
         WITH ORDINALITY AS e(kind, user_id, path, payload, n)
     )
     SELECT seq, pg_notify($6, $1::int4 || ':' || seq) FROM head`,
    [
      repoId,
      events.map((e) => e.kind),
      events.map((e) => e.userId ?? null),
      events.map((e) => (e.path == null ? null : encodePath(e.path))),
      events.map((e) => JSON.stringify(e.payload)),
      FEED_CHANNEL,
    ],
  )
  const last = BigInt(rows[0].seq)
  return last.toString()
}

export class CursorExpiredError extends ApiError {
  constructor(cursor: string, oldest: string) {
    super('CURSOR_EXPIRED', `cursor ${cursor} is older than the feed's retention; resync`, {
      cursor,
      oldest,
    })
  }
}

/** A cursor past the newest event of the project's feed. */
export class CursorAheadError extends ApiError {
  constructor(cursor: string, newest: string) {
    super('INVALID_CURSOR', `cursor ${cursor} is past the newest event (${newest}); resync`, {
      cursor,
      newest,
    })
  }
}

/** A cursor from a query string; null when absent (read from the oldest retained event). */
export function parseCursor(value: string | undefined | null): bigint | null {
  if (value === undefined || value === null || value === '') return null
  if (!/^\d{1,18}$/.test(value)) throw new ApiError('INVALID_CURSOR', 'cursor must be a number')
  return BigInt(value)
}

/** Reads a project's events after `since`, oldest first. */
export async function readEvents(
  db: Executor,
  { repoId, since: from, limit }: { repoId: number; since: bigint | null; limit: number },
): Promise<{ events: FeedEvent[]; cursor: string }> {
  const head = await db.query<{ seq: string; compacted_through: string }>(
    'SELECT seq, compacted_through FROM project_feed_heads WHERE repo_id = $1',
    [repoId],
  )
  const compacted = BigInt(head.rows[0]?.compacted_through ?? 0)
  const since = from ?? compacted
  if (since < compacted) throw new CursorExpiredError(since.toString(), compacted.toString())
  // a cursor past the newest event was not issued here: answering with it would skip whatever
  // comes between the newest event and it
  const newest = BigInt(head.rows[0]?.seq ?? 0)
  if (since > newest) throw new CursorAheadError(since.toString(), newest.toString())
  const { rows } = await db.query<EventRow>(
    `SELECT seq, kind, user_id, path, payload, created_at FROM project_events
     WHERE repo_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [repoId, since.toString(), limit],
  )
  const events = rows.map((r) => ({
    ...r.payload,
    cursor: r.seq,
    kind: r.kind,
    userId: r.user_id,
    path: r.path === null ? null : decodePath(r.path),
    createdAt: r.created_at.toISOString(),
  }))
  return { events, cursor: events.length > 0 ? events[events.length - 1].cursor : since.toString() }
}

/** Deletes events older than `retentionSeconds` across all projects; returns how many. */
export async function compactEvents(db: Executor, retentionSeconds: number): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `WITH gone AS (
       DELETE FROM project_events WHERE created_at < now() - make_interval(secs => $1)
       RETURNING repo_id, seq
     ), upto AS (
       SELECT repo_id, max(seq) AS seq, count(*) AS n FROM gone GROUP BY repo_id
     ), moved AS (
       UPDATE project_feed_heads h SET compacted_through = GREATEST(h.compacted_through, u.seq)
       FROM upto u WHERE h.repo_id = u.repo_id RETURNING u.n
     )
     SELECT COALESCE(sum(n), 0) AS n FROM moved`,
    [retentionSeconds],
  )
  return Number(rows[0].n)
}

/** Removes a project's whole feed (the project is being deleted). */
export async function deleteFeed(tx: Executor, repoId: number): Promise<void> {
  await tx.query('DELETE FROM project_events WHERE repo_id = $1', [repoId])
  await tx.query('DELETE FROM project_feed_heads WHERE repo_id = $1', [repoId])
}
