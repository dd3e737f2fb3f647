import type { ChangePage } from '../api-types.ts'
import { subscribeChanges, type SubscribeOptions, type Subscription } from '../change-feed.ts'
import { encodeSegment } from '../paths.ts'
import type { Transport } from '../transport.ts'

/** `client.changes`: the project's change feed, for multi-device sync. */
export function changesApi(t: Transport) {
  return {
    /** Events after `since` (default: the oldest kept), a page at a time, and the next cursor. */
    list: ({
      project,
      since,
      limit,
    }: {
      project: string
      since?: string
      limit?: number
    }): Promise<ChangePage> =>
      t.json({
        method: 'GET',
        path: `/projects/${encodeSegment(project)}/changes`,
        query: { since, limit },
      }),

    /**
     * Follows the feed live; resumes from its last cursor after a dropped connection, without
     * missing or repeating an event.
     *
     * @example
     * const sub = client.changes.subscribe({ project: 'docs', onEvent: (e) => console.log(e.kind, e.path) })
     * // later
     * sub.close()
     */
    subscribe: (options: SubscribeOptions): Subscription => subscribeChanges(t, options),
  }
}
