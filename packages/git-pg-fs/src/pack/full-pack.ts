import { ObjectNotFoundError } from '../errors.ts'
import { TYPE_CODE } from '../objects/git-object.ts'
import { classifyWants, followTags } from '../repo/reachable.ts'
import { REACHABLE_BLOB, REACHABLE_TREE, TreeGraph } from '../repo/tree-graph.ts'
import type { GitStore } from '../store/git-store.ts'
import { PackWriter } from './pack-writer.ts'
import type { PreparedPack } from './prepare-pack.ts'
import { RawSpool } from './raw-spool.ts'
import { TreeBases, alignedDelta } from './tree-delta.ts'

const SENT = 3
const TREE_PARTS = 2

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
}

/**
 * The pack of everything `wants` reach, for a client that has nothing (a clone): the repository's
 * trees are read in one streamed pass (not level by level, id by id), kept in a temporary file
 * while a compact graph of their entries finds what is reachable; then the pack streams out:
 * commits, tags, trees from the file, and blobs as they stream from the store. Nothing is
 * deflated and blobs are not deltified: on a fast link a bigger pack costs both sides less than
 * compressing it. Trees, most of the bytes, go as deltas against the last tree sent with the same
 * names when only some entry ids changed, which costs one linear comparison.
 * Memory holds the compact graph (about 4 bytes a tree entry), the delta bases (at most 32 MB)
 * and a batch or two of objects.
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
}: FullPackOptions): Promise<PreparedPack> {
  const graph = new TreeGraph()
  const spool = RawSpool.create()
  try {
    // the wants and the commit graph are read while the trees stream
    const wanted = (async () => {
      const classified = await classifyWants(store, repoId, wants)
      return { classified, commits: await store.readCommitGraph(repoId, classified.commits) }
    })()
    wanted.catch(() => {})
    await readTrees({ store, repoId, graph, spool })
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
    const count = commits.size + tags.size + reached.trees + reached.blobs
    const options = { store, repoId, commits, tags, graph, spool, reached, deflate, ofsDelta }
    const stream = streamPack(options)
    return { count, stream, dispose: () => spool.dispose() }
  } catch (err) {
    spool.dispose()
    throw err
  }
}

/**
 * Every tree of the repository into `graph` and `spool`, in two id ranges at once: the database's
 * side (reading TOAST, sending rows) is most of the time.
 */
async function readTrees({
  store,
  repoId,
  graph,
  spool,
}: {
  store: GitStore
  repoId: number
  graph: TreeGraph
  spool: RawSpool
}): Promise<void> {
  let failed = false
  const readPart = async (part: number) => {
    try {
      const range = { part, parts: TREE_PARTS }
      for await (const batch of store.streamObjects(repoId, 'tree', range)) {
        if (failed) return
        for (const t of batch) {
          spool.add(graph.addTree(Buffer.from(t.oid, 'hex'), t.content), t.content)
        }
        await spool.settle()
      }
    } catch (err) {
      failed = true
      throw err
    }
  }
  // every part settles (the others stop at their next batch) before the spool can be removed
  const parts = await Promise.allSettled(
    Array.from({ length: TREE_PARTS }, (_, part) => readPart(part)),
  )
  for (const p of parts) if (p.status === 'rejected') throw p.reason
  await spool.finish()
}

async function* streamPack({
  store,
  repoId,
  commits,
  tags,
  graph,
  spool,
  reached,
  deflate,
  ofsDelta,
}: {
  store: GitStore
  repoId: number
  commits: ReadonlyMap<string, unknown>
  tags: ReadonlySet<string>
  graph: TreeGraph
  spool: RawSpool
  reached: { trees: number; blobs: number }
  deflate: boolean
  ofsDelta: boolean
}): AsyncGenerator<Buffer> {
  try {
    const pack = new PackWriter({
      count: commits.size + tags.size + reached.trees + reached.blobs,
      deflate,
    })
    // `for (... of pack.add())`, not `yield*`: an async generator's `yield*` awaits even an empty
    // array, a microtask per object
    let sent = 0
    for await (const batch of store.streamObjects(repoId, 'commit')) {
      for (const c of batch) {
        if (!commits.has(c.oid)) continue
        sent++
        for (const chunk of pack.add(TYPE_CODE.commit, c.content)) yield chunk
      }
    }
    if (sent !== commits.size) {
      const stored = await store.hasObjects(repoId, [...commits.keys()])
      throw new ObjectNotFoundError([...commits.keys()].find((c) => !stored.has(c)) ?? '')
    }
    const tagObjects = await store.readObjects(repoId, [...tags])
    for (const t of tags) {
      const o = tagObjects.get(t)
      if (!o) throw new ObjectNotFoundError(t)
      for (const chunk of pack.add(TYPE_CODE[o.type], o.content)) yield chunk
    }
    const mark = graph.mark
    // a tree is sent as a delta against the last one sent with the same names (its previous
    // version, most likely) when only some entry ids differ: a fifth of the bytes, nearly free
    const bases = new TreeBases()
    for (const { n, content } of spool.read()) {
      if (mark[n] !== REACHABLE_TREE) continue
      mark[n] = SENT
      const key = graph.nameKey(n)
      const base = bases.get(key)
      const delta = base ? alignedDelta(base.content, content) : null
      const offset = pack.offset
      if (base && delta) {
        for (const chunk of pack.addDelta(ofsDelta ? base.offset : graph.raw(base.n), delta))
          yield chunk
        bases.set(key, { content, offset, n, depth: base.depth + 1 })
      } else {
        for (const chunk of pack.add(TYPE_CODE.tree, content)) yield chunk
        bases.set(key, { content, offset, n, depth: 0 })
      }
    }
    spool.dispose()
    for await (const batch of store.streamObjects(repoId, 'blob')) {
      for (const b of batch) {
        const n = graph.find(Buffer.from(b.oid, 'hex'))
        if (n < 0 || mark[n] !== REACHABLE_BLOB) continue
        mark[n] = SENT
        for (const chunk of pack.add(TYPE_CODE.blob, b.content)) yield chunk
      }
    }
    const missing = mark.indexOf(REACHABLE_BLOB)
    if (missing >= 0) throw new ObjectNotFoundError(graph.hex(missing))
    for (const chunk of pack.end()) yield chunk
  } finally {
    spool.dispose()
  }
}
