import { BaseCache, PackIndexCache, PostgresStore, type Database } from '@gitpg/git-pg-fs'
import { appendEvents } from './feed-store.ts'

/**
 * The server's git store: every ref change (commit, branch create/delete, pull, push received,
 * import) appends a `ref.updated` event to the project's feed in the same transaction.
 * `basesBytes` bounds its cache of resolved delta bases (default: `BaseCache`'s), `packsBytes`
 * its cache of cold packs' indexes (default: `PackIndexCache`'s).
 */
export function createStore(
  db: Database,
  { basesBytes, packsBytes }: { basesBytes?: number; packsBytes?: number } = {},
): PostgresStore {
  return new PostgresStore({
    db,
    bases: new BaseCache({ maxBytes: basesBytes }),
    packs: new PackIndexCache({ maxBytes: packsBytes }),
    onRefsUpdated: (tx, repoId, changes) =>
      appendEvents(
        tx.executor,
        repoId,
        changes
          .filter((c) => c.target === undefined && c.from !== c.to)
          .map((c) => ({ kind: 'ref.updated', payload: { ref: c.name, from: c.from, to: c.to } })),
      ).then(() => {}),
  })
}
