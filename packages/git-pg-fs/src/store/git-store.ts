import type { GitObject, ObjectType, PackedForm } from '../objects/git-object.ts'
import type { Executor } from './executor.ts'
import type { RepoStore } from './repo-view.ts'

export interface ObjectInfo {
  type: ObjectType
  size: number
}

/** An object as stored, not resolved: what a pack can send as it is. */
export interface StoredObject {
  oid: string
  type: ObjectType
  /** the object's size (a delta's own size is in its data) */
  size: number
  packed: PackedForm
}

/**
 * A stored object as its row holds it: ids as 20 bytes (no hex string), `data` zlib bytes of the
 * whole object (`base` null, `type` its type code) or of a delta on `base`. The buffers may be
 * views into the bytes read, valid until the next batch is asked for.
 */
export interface StoredRowView {
  oid: Buffer
  type: number
  size: number
  data: Buffer
  base: Buffer | null
}

/** A full pack that sent every stored object: the SHA-1 of its request, and how many it sent. */
export interface FullPackRecord {
  wants: Buffer
  objects: number
}

export interface GraphCommit {
  oid: string
  tree: string
  parents: string[]
  /** committer time, seconds since the epoch */
  time: number
}

export interface RepoRecord {
  repoId: number
  name: string
  defaultBranch: string
  /**
   * The default branch's commit when this record was read, in the same query: null before the
   * branch's first commit, undefined where the store did not read it.
   */
  defaultHead?: string | null
  remote: RemoteConfig | null
  createdAt: Date
}

export interface RemoteConfig {
  url: string
  branch?: string
  [key: string]: unknown
}

export interface RefRecord {
  name: string
  /** the object id, or null for a symbolic ref */
  oid: string | null
  /** the ref a symbolic ref points at */
  target: string | null
}

/**
 * One ref change. `expected`: `undefined` skips the check, `null` requires the ref to be absent,
 * an oid requires the ref to hold it. `oid: null` deletes the ref.
 */
export interface RefUpdate {
  name: string
  expected?: string | null
  oid: string | null
  /** set a symbolic ref instead (e.g. HEAD → refs/heads/main) */
  target?: string
}

/**
 * Everything the repository layer needs from storage. Methods taking `repoId` only ever touch
 * that repository's rows.
 */
export interface GitStore {
  /**
   * The handle this store runs on: in `transaction`'s callback, the transaction's. Other stores
   * (pending changes, the change feed) take it to take part in the same transaction.
   */
  readonly executor: Executor
  /** The store's calls for one repository, without its id on each (see `bindRepo`). */
  repo(repoId: number): RepoStore
  createRepo(input: {
    name: string
    defaultBranch?: string
  }): Promise<{ repo: RepoRecord; created: boolean }>
  getRepo(name: string): Promise<RepoRecord | null>
  updateRepo(
    repoId: number,
    patch: { defaultBranch?: string; remote?: RemoteConfig | null },
  ): Promise<void>
  /** hides the repository at once, then removes its rows in bounded transactions */
  deleteRepo(repoId: number, options?: { batchSize?: number }): Promise<void>

  /**
   * The objects found among `oids`. With `chains`, the rows of their delta bases (to the ends of
   * their chains) come in the same query, cached or not: one round trip instead of two for a
   * batch whose bases are not expected in the cache (a tree walk on a fresh server).
   */
  readObjects(
    repoId: number,
    oids: readonly string[],
    options?: { chains?: boolean },
  ): Promise<Map<string, GitObject>>
  hasObjects(repoId: number, oids: readonly string[]): Promise<Set<string>>
  /** Type and size of each stored object, without its content. */
  readObjectInfo(repoId: number, oids: readonly string[]): Promise<Map<string, ObjectInfo>>
  /**
   * The objects among `oids` in one round trip, with content only while the running total of
   * sizes (in the order of `oids`) stays within `maxBytes`, and always for the first one found:
   * the others come back in `unread` to be asked for again. Memory holds about `maxBytes`
   * whatever the objects weigh, without a separate query for their sizes.
   */
  readObjectsWithin(
    repoId: number,
    oids: readonly string[],
    maxBytes: number,
  ): Promise<{ objects: Map<string, GitObject>; unread: string[] }>
  /**
   * Every stored object of `type` in the repository, in no particular order, in batches as they
   * arrive: memory holds a batch or two whatever the repository's size (a full clone reads its
   * trees and blobs this way instead of id by id). With `parts`, only the `part`-th of as many
   * ranges of ids, so that several can be read at once.
   */
  streamObjects(
    repoId: number,
    type: ObjectType,
    range?: { part: number; parts: number },
  ): AsyncIterable<GitObject[]>
  /**
   * `streamObjects` without resolving anything: each object's zlib bytes as stored, whole or a
   * delta on another object (a pack sends them as they are when the base goes too).
   */
  streamStored(
    repoId: number,
    type: ObjectType,
    range?: { part: number; parts: number },
  ): AsyncIterable<StoredObject[]>
  /**
   * Every stored object of the repository as `streamStored` gives them, commits, tags, trees then
   * blobs, read in one snapshot: first `{ count }`, how many there are, then batches of one type.
   * Stopping early ends the read.
   */
  streamEverything(repoId: number): AsyncIterable<{ count: number } | StoredRowView[]>
  /** The record of a full pack that sent every stored object (see `recordFullPack`), or null. */
  readFullPack(repoId: number): Promise<FullPackRecord | null>
  /**
   * Records that a full pack asked for with `wants` (a SHA-1 of the request) sent every one of
   * the repository's `objects` stored objects; garbage collection forgets it when it deletes any.
   */
  recordFullPack(repoId: number, record: FullPackRecord): Promise<void>
  /** Every commit reachable from `heads` (in this repository), from the commit graph. */
  readCommitGraph(repoId: number, heads: readonly string[]): Promise<Map<string, GraphCommit>>
  /** Stores objects that are not stored yet; returns how many were new. */
  writeObjects(repoId: number, objects: readonly GitObject[]): Promise<number>
  /**
   * Bulk-loads a stream of objects into a repository that holds no objects yet (a first import):
   * rows reach the database while `objects` is still being produced. Duplicates are skipped;
   * returns how many were stored.
   */
  loadObjects(repoId: number, objects: AsyncIterable<GitObject>): Promise<number>
  /** Whether the repository holds any object at all. */
  hasAnyObjects(repoId: number): Promise<boolean>
  countObjects(repoId: number): Promise<number>
  /** All object ids of a repository whose id starts with `prefix` (hex). */
  findObjects(repoId: number, prefix: string, limit?: number): Promise<string[]>

  readRef(repoId: number, name: string): Promise<RefRecord | null>
  listRefs(repoId: number, prefix?: string): Promise<RefRecord[]>
  /**
   * Reads a ref and holds it against every other writer until the enclosing transaction ends
   * (also when the ref does not exist yet): writers of one ref take turns. Call it inside
   * `transaction`.
   */
  lockRef(repoId: number, name: string): Promise<RefRecord | null>
  /** Applies ref updates atomically by compare-and-swap; every new oid must already be stored. */
  updateRefs(repoId: number, updates: readonly RefUpdate[]): Promise<void>

  readFile(repoId: number, path: string): Promise<{ content: Buffer; updatedAt: Date } | null>
  writeFile(repoId: number, path: string, content: Buffer): Promise<void>
  deleteFile(repoId: number, path: string): Promise<boolean>
  listFiles(repoId: number): Promise<string[]>

  /** Runs `fn` with a store whose every call is part of one transaction. */
  transaction<T>(fn: (tx: GitStore) => Promise<T>): Promise<T>
}
