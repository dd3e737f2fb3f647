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

export interface ArchiveReport {
  /** reachable blobs and trees no ref's head shows, stored as rows when the run began */
  cold: number
  /** of those, left as rows: a row that stays is stored as a delta on them */
  heldAsBases: number
  /**
   * hot rows stored as deltas on cold objects (a tag's version of a file on a newer one no head
   * shows) stored again on a hot row or whole, so that the cold objects below them could be packed
   */
  rerooted: number
  /**
   * of those, left as rows: the versions of their path take fewer bytes as rows (a pack stores
   * the newest of them whole, rows as a delta on the head's version)
   */
  cheaperAsRows: number
  /** moved from rows into packs */
  archived: number
  packsWritten: number
  /** small packs merged into larger ones, and the packs that made */
  packsMerged: number
  mergedInto: number
  /** stored bytes (`data`) of the archived rows, and bytes of the packs written for them */
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
  /** stored bytes of the removed rows, and bytes packs shrank by */
  bytesFreed: number
  /** of `deleted`, objects removed from packs */
  fromPacks: number
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
  archive: ArchiveReport
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
  /**
   * false: no archive (objects no ref's head shows stay rows; default true). Otherwise they move
   * into packs of at most `packObjects` objects (default 50,000) and `packBytes` bytes of
   * content (default 64 MiB).
   */
  archive?: boolean
  packObjects?: number
  packBytes?: number
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
