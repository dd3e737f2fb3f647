import { ObjectNotFoundError } from '../errors.ts'
import { TYPE_CODE, type ObjectType } from '../objects/git-object.ts'
import { classifyWants, followTags } from '../repo/reachable.ts'
import { REACHABLE_BLOB, REACHABLE_TREE, TreeGraph } from '../repo/tree-graph.ts'
import type { GitStore, StoredObject } from '../store/git-store.ts'
import { resolveStored } from './resolve-stored.ts'
import { PackWriter } from './pack-writer.ts'
import type { PreparedPack } from './prepare-pack.ts'
import { fullPackKey, prepareEverything } from './everything-pack.ts'
import { addStored } from './stored-entry.ts'
import { GraphOffsets, type SentOffsets } from './sent-offsets.ts'

const SENT = 3
/**
 * Stored tree bytes a clone holds to rebuild every tree once: past this (a history far larger than
 * most), trees are read resolved instead, slower but within bounded memory.
 */
const TREE_BYTES = 96 << 20
/** Heap cost of a held stored tree beyond its bytes: the object, its id string and views. */
const STORED_OVERHEAD = 200
/** Blobs whose stored delta cannot be sent as it is are read this many at a time. */
const RESOLVE_BATCH = 500

export interface FullPackOptions {
  store: GitStore
  repoId: number
  /** objects the client asks for: commits, annotated tags (peeled and sent), trees or blobs */
  wants: readonly string[]
  /** annotated tags to add when the object they point at is sent (git's include-tag) */
  includeTags?: readonly string[]
  /** deflate entries (level 1) instead of storing them */
  deflate?: boolean
  /** write deltas as offsets into the pack (OFS_DELTA) rather than by base id (REF_DELTA) */
  ofsDelta?: boolean
  /** stored tree bytes held to rebuild the trees (default `TREE_BYTES`) */
  treeBytes?: number
}

/**
 * The pack of everything `wants` reach, for a client that has nothing (a clone): the repository's
 * trees are read in one streamed pass (not level by level, id by id) into a compact graph of
 * their entries that finds what is reachable; then the pack streams out: commits, tags, trees
 * and blobs as the store keeps them (zlib bytes, whole or deltas on another object the pack sends,
 * as git's pack reuse does), read again in one pass a type. Nothing is compressed again: the
 * pack is about the size of the stored objects and costs little CPU on either side.
 * Memory holds the compact graph (about 4 bytes a tree entry), each sent object's offset and a
 * batch or two of objects.
 *
 * @example
 * const pack = await prepareFullPack({ store, repoId, wants })
 * for await (const chunk of pack.stream) res.write(chunk)
 */
export async function prepareFullPack({
  store,
  repoId,
  wants,
  includeTags = [],
  deflate = false,
  ofsDelta = true,
  treeBytes = TREE_BYTES,
}: FullPackOptions): Promise<PreparedPack> {
  const key = fullPackKey(wants, includeTags)
  const everything = await prepareEverything({ store, repoId, key, deflate, ofsDelta })
  if (everything) return everything
  const graph = new TreeGraph()
  // the wants, the commit graph and how many objects are stored are read while the trees stream
  const wanted = (async () => {
    const classified = await classifyWants(store, repoId, wants)
    return { classified, commits: await store.readCommitGraph(repoId, classified.commits) }
  })()
  wanted.catch(() => {})
  const stored = store.countObjects(repoId)
  stored.catch(() => {})
  await readTrees({ store, repoId, graph, treeBytes })
  const { classified, commits } = await wanted
  const roots = [...commits.values()].map((c) => graph.number(c.tree))
  for (const t of classified.trees) roots.push(graph.number(t))
  const reached = graph.walk(
    roots,
    classified.blobs.map((b) => graph.number(b)),
  )
  const tags = new Set(classified.tags)
  const isSent = (oid: string) => {
    if (commits.has(oid) || tags.has(oid)) return true
    const n = graph.find(Buffer.from(oid, 'hex'))
    return n >= 0 && graph.mark[n] !== 0
  }
  if (includeTags.length > 0) {
    for (const t of await followTags({ store, repoId, tags: includeTags, sent: isSent }))
      tags.add(t)
  }
  // what is sent is marked: the entries are not needed while the pack streams out
  graph.forgetEntries()
  const count = commits.size + tags.size + reached.trees + reached.blobs
  const options = { store, repoId, commits, tags, graph, reached, deflate, ofsDelta }
  async function* stream(): AsyncGenerator<Buffer> {
    yield* streamPack(options)
    // every object stored before the walk went out: the next such request may skip the walk
    const all = await stored.catch(() => -1)
    // a record that fails to be written costs the next clone its walk, not this one its pack
    if (all === count)
      await store.recordFullPack(repoId, { wants: key, objects: count }).catch(() => {})
  }
  return { count, stream: stream(), dispose: () => {} }
}

/**
 * Every tree of the repository into `graph`: their stored bytes in one streamed read (a few MB
 * for a large history, at most `TREE_BYTES`), then each tree rebuilt once, delta chains followed
 * from their whole base (see `resolveStored`) rather than looked up chain level by chain level.
 */
async function readTrees({
  store,
  repoId,
  graph,
  treeBytes,
}: {
  store: GitStore
  repoId: number
  graph: TreeGraph
  treeBytes: number
}): Promise<void> {
  const trees: StoredObject[] = []
  let bytes = 0
  for await (const batch of store.streamStored(repoId, 'tree')) {
    for (const t of batch) {
      trees.push(t)
      bytes += t.packed.data.length + STORED_OVERHEAD
    }
    if (bytes > treeBytes) {
      // too many to hold: the store resolves them, a chain level per query, in bounded groups
      trees.length = 0
      for await (const resolved of store.streamObjects(repoId, 'tree'))
        for (const t of resolved) graph.addTree(Buffer.from(t.oid, 'hex'), t.content)
      return
    }
  }
  resolveStored(trees, (oid, content) => graph.addTree(Buffer.from(oid, 'hex'), content))
}

async function* streamPack({
  store,
  repoId,
  commits,
  tags,
  graph,
  reached,
  deflate,
  ofsDelta,
}: {
  store: GitStore
  repoId: number
  commits: ReadonlyMap<string, unknown>
  tags: ReadonlySet<string>
  graph: TreeGraph
  reached: { trees: number; blobs: number }
  deflate: boolean
  ofsDelta: boolean
}): AsyncGenerator<Buffer> {
  const pack = new PackWriter({
    count: commits.size + tags.size + reached.trees + reached.blobs,
    deflate,
  })
  const mark = graph.mark
  const offsets = new GraphOffsets(graph)
  const node = (oid: string) => graph.find(Buffer.from(oid, 'hex'))
  const sending = (
    type: ObjectType,
    wanted: (oid: string) => boolean,
    sent: (oid: string) => void,
  ) => sendStored({ store, repoId, type, pack, ofsDelta, offsets, wanted, sent })
  const sentCommits = new Set<string>()
  yield* sending(
    'commit',
    (oid) => commits.has(oid) && !sentCommits.has(oid),
    (oid) => sentCommits.add(oid),
  )
  if (sentCommits.size !== commits.size) {
    const stored = await store.hasObjects(repoId, [...commits.keys()])
    throw new ObjectNotFoundError([...commits.keys()].find((c) => !stored.has(c)) ?? '')
  }
  const tagObjects = await store.readObjects(repoId, [...tags])
  for (const t of tags) {
    const o = tagObjects.get(t)
    if (!o) throw new ObjectNotFoundError(t)
    for (const chunk of pack.add(TYPE_CODE[o.type], o.content)) yield chunk
  }
  const marked = (want: number) => (oid: string) => {
    const n = node(oid)
    return n >= 0 && mark[n] === want
  }
  const sent = (oid: string) => {
    mark[node(oid)] = SENT
  }
  yield* sending('tree', marked(REACHABLE_TREE), sent)
  const tree = mark.indexOf(REACHABLE_TREE)
  if (tree >= 0) throw new ObjectNotFoundError(graph.hex(tree))
  yield* sending('blob', marked(REACHABLE_BLOB), sent)
  const missing = mark.indexOf(REACHABLE_BLOB)
  if (missing >= 0) throw new ObjectNotFoundError(graph.hex(missing))
  for (const chunk of pack.end()) yield chunk
}

/**
 * Sends the stored objects of `type` that `wanted` names as they are stored (see `addStored`),
 * when their delta base goes in the pack too; a delta on an object the pack does not send is
 * resolved and sent whole.
 */
async function* sendStored({
  store,
  repoId,
  type,
  pack,
  ofsDelta,
  offsets,
  wanted,
  sent,
}: {
  store: GitStore
  repoId: number
  type: ObjectType
  pack: PackWriter
  ofsDelta: boolean
  /** where each object sent so far starts in the pack */
  offsets: SentOffsets
  wanted: (oid: string) => boolean
  sent: (oid: string) => void
}): AsyncGenerator<Buffer> {
  const resolve: string[] = []
  // `for (... of pack.add())`, not `yield*`: an async generator's `yield*` awaits even an empty
  // array, a microtask per object
  for await (const batch of store.streamStored(repoId, type)) {
    for (const o of batch) {
      if (!wanted(o.oid)) continue
      const base = o.packed.base
      if (base !== null && !offsets.has(base) && !wanted(base)) {
        resolve.push(o.oid)
        continue
      }
      sent(o.oid)
      for (const chunk of addStored({ pack, o, offsets, ofsDelta })) yield chunk
    }
  }
  for (let i = 0; i < resolve.length; i += RESOLVE_BATCH) {
    const found = await store.readObjects(repoId, resolve.slice(i, i + RESOLVE_BATCH))
    for (const o of found.values()) {
      sent(o.oid)
      offsets.set(o.oid, pack.offset)
      for (const chunk of pack.add(TYPE_CODE[type], o.content)) yield chunk
    }
  }
}
