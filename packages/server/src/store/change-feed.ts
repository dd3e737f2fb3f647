import type { FeedEvent } from './postgres/feed-store.ts'

/** A project's change feed, read after a cursor. */
export interface ChangeFeed {
  /**
   * Events after `since` (null: from the oldest kept), oldest first, and the cursor to read on
   * from. A cursor older than the feed keeps is `CURSOR_EXPIRED`; one past its newest event,
   * `INVALID_CURSOR`.
   */
  read(input: {
    repoId: number
    since: bigint | null
    limit: number
  }): Promise<{ events: FeedEvent[]; cursor: string }>
}

/** Whether the database answers (for `GET /health`). */
export interface DatabaseProbe {
  ping(): Promise<void>
}
