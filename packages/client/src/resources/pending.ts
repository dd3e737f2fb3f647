import type { PendingChange, PendingDeletion, PendingDiff, PendingList } from '../api-types.ts'
import { encodePath, encodeSegment, type FilePath } from '../paths.ts'
import type { Content, Transport } from '../transport.ts'

export interface UserRef {
  project: string
  userId: string
}
export type PathRef = UserRef & { path: FilePath }

/** Preconditions on the pending version: `ifMatch` a version last seen, `ifNoneMatch: '*'`. */
export interface Precondition {
  ifMatch?: string
  ifNoneMatch?: string
}

const userAt = ({ project, userId }: UserRef) =>
  `/pending/${encodeSegment(project)}/${encodeSegment(userId)}`
const quoted = (version?: string) =>
  version === undefined || version === '*' || version.startsWith('"') ? version : `"${version}"`
const preconditionHeaders = ({ ifMatch, ifNoneMatch }: Precondition) => ({
  'If-Match': quoted(ifMatch),
  'If-None-Match': quoted(ifNoneMatch),
})

/** `client.pending`: a user's uncommitted changes (autosave), kept durably until committed. */
export function pendingApi(t: Transport) {
  return {
    /**
     * Autosaves the user's content for a path; durable once answered. `version` is the value to
     * give back as `ifMatch` to refuse overwriting someone else's save (412).
     *
     * @example
     * const { version } = await client.pending.save({ project: 'docs', userId: 'ada', path: 'a.md', content: 'draft' })
     */
    save: ({
      content,
      ifMatch,
      ifNoneMatch,
      ...at
    }: PathRef & Precondition & { content: Content }): Promise<PendingChange> =>
      t.json({
        method: 'PUT',
        path: `${userAt(at)}/${encodePath(at.path)}`,
        body: content,
        headers: preconditionHeaders({ ifMatch, ifNoneMatch }),
      }),

    /** The user's pending changes. */
    list: (at: UserRef): Promise<PendingList> => t.json({ method: 'GET', path: userAt(at) }),

    /** The pending content of one path. */
    read: (at: PathRef): Promise<Uint8Array> =>
      t.bytes({ method: 'GET', path: `${userAt(at)}/${encodePath(at.path)}` }),

    /** Discards one pending change. */
    discard: (at: PathRef): Promise<void> =>
      t.empty({ method: 'DELETE', path: `${userAt(at)}/${encodePath(at.path)}` }),

    /** Discards all of the user's pending changes; answers how many there were. */
    discardAll: (at: UserRef): Promise<{ discarded: number }> =>
      t.json({ method: 'DELETE', path: userAt(at) }),

    /** Records a pending deletion (a path only pending-created is just discarded: `action: null`). */
    recordDeletion: ({
      ifMatch,
      ifNoneMatch,
      ...at
    }: PathRef & Precondition): Promise<PendingDeletion> =>
      t.json({
        method: 'POST',
        path: `${userAt(at)}/delete/${encodePath(at.path)}`,
        headers: preconditionHeaders({ ifMatch, ifNoneMatch }),
      }),

    /** The user's pending changes as a diff against their branch, shaped like `diff`. */
    diff: ({ path, ...at }: UserRef & { path?: FilePath }): Promise<PendingDiff> =>
      t.json({
        method: 'GET',
        path: `${userAt(at)}/diff`,
        query: { path },
      }),

    /** The user's pending changes as a unified diff, like `git diff` in their work tree. */
    patch: ({ path, ...at }: UserRef & { path?: FilePath }): Promise<string> =>
      t.text({
        method: 'GET',
        path: `${userAt(at)}/diff`,
        query: { path, format: 'patch' },
      }),
  }
}
