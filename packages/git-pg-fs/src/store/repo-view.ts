import type { GitObject, ObjectType } from '../objects/git-object.ts'
import type {
  GitStore,
  GraphCommit,
  ObjectInfo,
  RefRecord,
  RefUpdate,
  StoredObject,
} from './git-store.ts'

/** One repository of a store: its calls without the repository id (see `GitStore`). */
export interface RepoStore {
  readonly repoId: number
  readObjects(
    oids: readonly string[],
    options?: { chains?: boolean },
  ): Promise<Map<string, GitObject>>
  readObjectsWithin(
    oids: readonly string[],
    maxBytes: number,
  ): Promise<{ objects: Map<string, GitObject>; unread: string[] }>
  hasObjects(oids: readonly string[]): Promise<Set<string>>
  readObjectInfo(oids: readonly string[]): Promise<Map<string, ObjectInfo>>
  streamObjects(
    type: ObjectType,
    range?: { part: number; parts: number },
  ): AsyncIterable<GitObject[]>
  streamStored(
    type: ObjectType,
    range?: { part: number; parts: number },
  ): AsyncIterable<StoredObject[]>
  readCommitGraph(heads: readonly string[]): Promise<Map<string, GraphCommit>>
  writeObjects(objects: readonly GitObject[]): Promise<number>
  loadObjects(objects: AsyncIterable<GitObject>): Promise<number>
  hasAnyObjects(): Promise<boolean>
  countObjects(): Promise<number>
  findObjects(prefix: string, limit?: number): Promise<string[]>
  readRef(name: string): Promise<RefRecord | null>
  listRefs(prefix?: string): Promise<RefRecord[]>
  lockRef(name: string): Promise<RefRecord | null>
  updateRefs(updates: readonly RefUpdate[]): Promise<void>
  readFile(path: string): Promise<{ content: Buffer; updatedAt: Date } | null>
  writeFile(path: string, content: Buffer): Promise<void>
  deleteFile(path: string): Promise<boolean>
  listFiles(): Promise<string[]>
}

/**
 * The view of `store` bound to one repository: every call names it once, here.
 *
 * @example
 * const repo = bindRepo(store, repoId)
 * const objects = await repo.readObjects([oid])
 */
export function bindRepo(store: GitStore, repoId: number): RepoStore {
  return {
    repoId,
    readObjects: (oids, options) => store.readObjects(repoId, oids, options),
    readObjectsWithin: (oids, maxBytes) => store.readObjectsWithin(repoId, oids, maxBytes),
    hasObjects: (oids) => store.hasObjects(repoId, oids),
    readObjectInfo: (oids) => store.readObjectInfo(repoId, oids),
    streamObjects: (type, range) => store.streamObjects(repoId, type, range),
    streamStored: (type, range) => store.streamStored(repoId, type, range),
    readCommitGraph: (heads) => store.readCommitGraph(repoId, heads),
    writeObjects: (objects) => store.writeObjects(repoId, objects),
    loadObjects: (objects) => store.loadObjects(repoId, objects),
    hasAnyObjects: () => store.hasAnyObjects(repoId),
    countObjects: () => store.countObjects(repoId),
    findObjects: (prefix, limit) => store.findObjects(repoId, prefix, limit),
    readRef: (name) => store.readRef(repoId, name),
    listRefs: (prefix) => store.listRefs(repoId, prefix),
    lockRef: (name) => store.lockRef(repoId, name),
    updateRefs: (updates) => store.updateRefs(repoId, updates),
    readFile: (path) => store.readFile(repoId, path),
    writeFile: (path, content) => store.writeFile(repoId, path, content),
    deleteFile: (path) => store.deleteFile(repoId, path),
    listFiles: () => store.listFiles(repoId),
  }
}
