import type { Executor } from '@gitpg/git-pg-fs'

export type PendingAction = 'created' | 'modified' | 'deleted'

/** One user's uncommitted change to one path of a project. */
export interface PendingChange {
  path: string
  action: PendingAction
  /** blob id of the content; null for a deletion */
  oid: string | null
  size: number
  /** changes on every save; the `ETag` of the pending version */
  version: string
  updatedAt: Date
}

export interface PendingContent extends PendingChange {
  /** null for a deletion */
  content: Buffer | null
}

export interface SavePendingInput {
  repoId: number
  userId: string
  path: string
  action: PendingAction
  content: Buffer | null
  oid: string | null
  /** save only if the current version is this one ('*': only if a pending version exists) */
  ifMatch?: string
  /** save only if there is no pending version yet */
  ifNoneMatch?: boolean
}

/** The outcome of a conditional save: saved, or the version that is there instead (null: none). */
export type SaveResult =
  { saved: true; change: PendingChange } | { saved: false; current: PendingChange | null }

/** Pending (autosaved, uncommitted) changes, keyed by (repository, user, path). */
export interface PendingStore {
  save(input: SavePendingInput): Promise<SaveResult>
  /** The user's changes in path order (the first `limit` of them, when given). */
  list(repoId: number, userId: string, options?: { limit?: number }): Promise<PendingChange[]>
  /** Changes with content; all of the user's, or only those at `paths`. */
  read(repoId: number, userId: string, paths?: readonly string[]): Promise<PendingContent[]>
  remove(repoId: number, userId: string, path: string): Promise<boolean>
  removeAll(repoId: number, userId: string): Promise<number>
  /** Pending changes by any user on any of `paths` (for pull's conflict report). */
  onPaths(input: {
    repoId: number
    paths: readonly string[]
  }): Promise<{ path: string; userId: string }[]>
  /** Removes exactly these (path, version) rows; returns how many were still there. */
  removeVersions(
    repoId: number,
    userId: string,
    rows: readonly { path: string; version: string }[],
  ): Promise<number>
  /**
   * The same store in the transaction whose handle is `tx` (e.g. a git store transaction's
   * `executor`), so that pending rows change with the commit that takes them.
   */
  inTransaction(tx: Executor): PendingStore
}
