import type { ObjectType } from '../objects/git-object.ts'

/** One object the walk from the refs reached, with where it was met. */
export interface ReachableObject {
  oid: string
  type: ObjectType
  /**
   * The path (bytes as a latin1 string, like tree entry names) the object was first met at, ''
   * for commits, tags and root trees: repack pairs an object with other versions of its path.
   */
  path: string
  /** Visit order, 0 first: the walk goes from the newest commits down, so lower is newer. */
  rank: number
}

/** What one walk from every ref (and extra roots) found, in one snapshot of the repository. */
export interface Marked {
  /** every reachable object that is stored */
  reachable: Map<string, ReachableObject>
  /** the ref values the walk started from, by ref name (symbolic refs left out) */
  tips: Map<string, string>
}

export interface RepackReport {
  /** whole objects looked at */
  considered: number
  /** of those, stored as a delta now */
  deltified: number
  /** deltas whose chain grew past the depth bound and were stored again (whole or re-based) */
  rebased: number
  /** stored bytes (`data`) of the changed rows before and after */
  bytesBefore: number
  bytesAfter: number
  ms: number
}

export interface GcReport {
  reachable: number
  /** objects no ref reaches */
  unreachable: number
  /** of those, removed */
  deleted: number
  /** unreachable but kept: younger than the prune age (since they were first found unreachable) */
  kept: number
  /** stored bytes of the removed rows */
  bytesFreed: number
  /** deltas whose base was removed, stored again first */
  rebased: number
  /** unreachable objects found reachable again before removal (a racing push or commit) */
  rescued: number
  ms: number
}

export interface MaintenanceReport {
  repoId: number
  gc: GcReport
  repack: RepackReport
  ms: number
}

/**
 * `'now'`: every unreachable object goes; a `Date`: those found unreachable before it go;
 * `'never'`: nothing is removed (repack only).
 */
export type PruneBefore = Date | 'now' | 'never'

export interface MaintenanceOptions {
  prune: PruneBefore
  /** count what would be removed and repacked, change nothing */
  dryRun?: boolean
  /** false: garbage collection only, no repack (default true) */
  repack?: boolean
  /** object ids kept as if a ref reached them (the server's pending changes' blobs) */
  extraRoots?: () => Promise<string[]>
  /** rows changed or removed per transaction */
  batchSize?: number
  /** pause between batches, in ms (throttling a background run) */
  pauseMs?: number
  signal?: AbortSignal
  /** progress and results, one event per step */
  log?: (event: string, fields: Record<string, unknown>) => void
}
