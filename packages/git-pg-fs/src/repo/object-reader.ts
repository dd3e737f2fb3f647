import { ObjectNotFoundError, BadObjectError } from '../errors.ts'
import type { GitObject, ObjectType } from '../objects/git-object.ts'
import { parseCommit, type Commit } from '../objects/commit.ts'
import { parseTree, type TreeEntry } from '../objects/tree.ts'
import type { GitStore, GraphCommit } from '../store/git-store.ts'
import type { ObjectCache } from './object-cache.ts'

/**
 * Heap estimates for parsed forms, measured on Node 20: a tree entry (object, mode, name and hex
 * oid strings) takes ~185 bytes against ~42 in the raw tree; a commit's strings are UTF-16 at worst.
 */
const treeBytes = (entries: TreeEntry[]) => 64 + entries.length * 190
const commitBytes = (c: Commit) => 600 + 2 * (c.message.length + c.extraHeaders.length)

/** Reads one repository's objects through the shared cache, in batches. */
export class ObjectReader {
  readonly store: GitStore
  readonly repoId: number
  readonly cache: ObjectCache

  constructor({ store, repoId, cache }: { store: GitStore; repoId: number; cache: ObjectCache }) {
    this.store = store
    this.repoId = repoId
    this.cache = cache
  }

  /** The objects found among `oids` (absent ones are simply missing from the map). */
  async readMany(
    oids: Iterable<string>,
    options?: { chains?: boolean },
  ): Promise<Map<string, GitObject>> {
    const out = new Map<string, GitObject>()
    const misses = this.#fromCache(oids, out)
    if (misses.length > 0)
      this.#keep(await this.store.readObjects(this.repoId, misses, options), out)
    return out
  }

  // the loops of `readMany`, out of the async function (see `resolveRows`)
  #fromCache(oids: Iterable<string>, out: Map<string, GitObject>): string[] {
    const misses: string[] = []
    for (const oid of oids) {
      const hit = this.cache.get(this.repoId, oid)
      if (hit) out.set(oid, hit)
      else misses.push(oid)
    }
    return misses
  }

  #keep(found: Map<string, GitObject>, out: Map<string, GitObject>): void {
    for (const [oid, o] of found) {
      this.cache.set(this.repoId, o)
      out.set(oid, o)
    }
  }

  async read(oid: string, type?: ObjectType): Promise<GitObject> {
    const o = (await this.readMany([oid])).get(oid)
    if (!o) throw new ObjectNotFoundError(oid)
    if (type && o.type !== type) throw new BadObjectError(`${oid} is a ${o.type}, not a ${type}`)
    return o
  }

  treeEntries(o: GitObject): TreeEntry[] {
    return this.cache.parsed(this.repoId, o, (x) => parseTree(x.content), treeBytes)
  }

  async tree(oid: string): Promise<TreeEntry[]> {
    return this.treeEntries(await this.read(oid, 'tree'))
  }

  /** Trees for many oids in one batch, parsed (`chains`: see `GitStore.readObjects`). */
  async trees(
    oids: Iterable<string>,
    options?: { chains?: boolean },
  ): Promise<Map<string, TreeEntry[]>> {
    return this.#parseTrees(oids, await this.readMany(oids, options))
  }

  #parseTrees(oids: Iterable<string>, objects: Map<string, GitObject>): Map<string, TreeEntry[]> {
    const out = new Map<string, TreeEntry[]>()
    for (const [oid, o] of objects) {
      if (o.type !== 'tree') throw new BadObjectError(`${oid} is a ${o.type}, not a tree`)
      out.set(oid, this.treeEntries(o))
    }
    for (const oid of oids) if (!out.has(oid)) throw new ObjectNotFoundError(oid)
    return out
  }

  async commit(oid: string): Promise<Commit> {
    return this.#parseCommit(await this.read(oid, 'commit'))
  }

  #parseCommit(o: GitObject): Commit {
    return this.cache.parsed(this.repoId, o, (x) => parseCommit(x.content), commitBytes)
  }

  /**
   * Every commit reachable from `heads`, as the store's `readCommitGraph` gives it, walked over
   * cached graph nodes: the store is asked only for the history beyond them.
   */
  async commitGraph(heads: readonly string[]): Promise<Map<string, GraphCommit>> {
    const out = new Map<string, GraphCommit>()
    const missing: string[] = []
    const stack = [...heads]
    while (stack.length > 0) {
      const oid = stack.pop()!
      if (out.has(oid)) continue
      const node = this.cache.node(this.repoId, oid)
      if (!node) {
        missing.push(oid)
        continue
      }
      out.set(oid, node)
      for (const p of node.parents) if (!out.has(p)) stack.push(p)
    }
    if (missing.length > 0) {
      for (const node of (await this.store.readCommitGraph(this.repoId, missing)).values()) {
        this.cache.setNode(this.repoId, node)
        out.set(node.oid, node)
      }
    }
    return out
  }

  async commits(oids: readonly string[]): Promise<Map<string, Commit>> {
    const objects = await this.readMany(oids)
    const out = new Map<string, Commit>()
    for (const oid of oids) {
      const o = objects.get(oid)
      if (!o) throw new ObjectNotFoundError(oid)
      if (o.type !== 'commit') throw new BadObjectError(`${oid} is a ${o.type}, not a commit`)
      out.set(oid, this.#parseCommit(o))
    }
    return out
  }
}
