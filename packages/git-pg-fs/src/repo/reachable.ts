import { parseTag } from '../objects/commit.ts'
import type { GitObject } from '../objects/git-object.ts'
import type { GitStore, GraphCommit } from '../store/git-store.ts'
import { addTreeClosure, type TreeItem } from './tree-closure.ts'

/** What a client needs to receive, as object ids, and the shallow boundary that goes with it. */
export interface ObjectListing {
  /** every object to send, commits first, then tags, trees and blobs; each once */
  oids: string[]
  /** for objects whose path held another version in the parent commit: that version (also sent) */
  deltaBases: Map<string, string>
  commits: number
  /** commits the client must record as shallow (their parents are not sent) */
  shallow: string[]
  /** client shallow commits whose history is now sent */
  unshallow: string[]
}

export interface ListObjectsOptions {
  store: GitStore
  repoId: number
  /** objects the client asks for: commits, annotated tags (peeled and sent), trees or blobs */
  wants: readonly string[]
  /** commits the client has, with all their history (up to its shallow boundary) */
  haves?: readonly string[]
  /** the client's current shallow commits: it has them, but not their parents */
  clientShallow?: readonly string[]
  /** send only the `depth` newest commits of each want's history */
  depth?: number
  /** annotated tags to add when the object they point at is sent (git's include-tag) */
  includeTags?: readonly string[]
  /** called with each tree to send while its content is at hand (to pack it without rereading) */
  onTree?: (tree: GitObject, hint: GitObject | undefined) => void
}

/**
 * Lists the objects a client lacks: the commits reachable from `wants` but not from `haves` (from
 * the commit graph, without reading commit objects), then their trees, each distinct tree read
 * once; where a parent is the client's, a subtree equal to the parent's at the same path is
 * skipped unread. Only object ids are held; contents are read (and dropped) a level of trees at a
 * time.
 *
 * @example
 * const { oids, shallow } = await listObjects({ store, repoId, wants: [head], depth: 1 })
 */
export async function listObjects({
  store,
  repoId,
  wants,
  haves = [],
  clientShallow = [],
  depth,
  includeTags = [],
  onTree,
}: ListObjectsOptions): Promise<ObjectListing> {
  const out = new Set<string>()
  const { commits: wantCommits, tags, trees, blobs } = await classifyWants(store, repoId, wants)
  const graph = await store.readCommitGraph(repoId, [...wantCommits, ...haves])
  const cut = new Set(clientShallow)
  const has = ancestry(
    graph,
    haves.filter((h) => graph.has(h)),
    cut,
  )
  const walk = walkWants({ graph, wants: wantCommits, has, cut, depth })
  for (const c of walk.commits) out.add(c.oid)
  const commitCount = out.size
  for (const t of tags) out.add(t)

  const items: TreeItem[] = trees.map((oid) => ({ oid, bases: [] }))
  // oldest first: the first commit to reach a tree or blob is then the one that introduced it,
  // whose first parent holds the previous version at that path (the best delta base)
  for (const c of parentsFirst(walk.commits)) {
    const bases = c.parents.filter((p) => has.has(p)).map((p) => graph.get(p)!.tree)
    const first = graph.get(c.parents[0])
    items.push({ oid: c.tree, bases, hint: first?.tree })
  }
  const hints = new Map<string, string>()
  await addTreeClosure({ store, repoId, items, out, deltaBases: hints, onTree })
  for (const b of blobs) out.add(b)

  if (includeTags.length > 0) {
    const followed = await followTags({ store, repoId, tags: includeTags, sent: (o) => out.has(o) })
    for (const t of followed) out.add(t)
  }
  const deltaBases = new Map<string, string>()
  for (const [target, base] of hints) if (out.has(base)) deltaBases.set(target, base)
  return {
    oids: [...out],
    deltaBases,
    commits: commitCount,
    shallow: [...walk.shallow].filter((s) => !cut.has(s)),
    unshallow: walk.unshallow,
  }
}

/** `commits` ordered so that each comes after its parents among them. */
function parentsFirst(commits: readonly GraphCommit[]): GraphCommit[] {
  const byOid = new Map(commits.map((c) => [c.oid, c]))
  const done = new Set<string>()
  const out: GraphCommit[] = []
  for (const start of commits) {
    const stack: { c: GraphCommit; next: number }[] = [{ c: start, next: 0 }]
    while (stack.length > 0) {
      const top = stack[stack.length - 1]
      if (done.has(top.c.oid) && top.next === 0) {
        stack.pop()
        continue
      }
      done.add(top.c.oid)
      const parent = top.c.parents[top.next++]
      if (parent === undefined) {
        out.push(top.c)
        stack.pop()
        continue
      }
      const p = byOid.get(parent)
      if (p && !done.has(parent)) stack.push({ c: p, next: 0 })
    }
  }
  return out
}

/** Sorts wants by type, peeling annotated tags (which are sent themselves) to what they name. */
export async function classifyWants(store: GitStore, repoId: number, wants: readonly string[]) {
  const commits: string[] = []
  const tags: string[] = []
  const trees: string[] = []
  const blobs: string[] = []
  let pending = [...new Set(wants)]
  for (let hop = 0; pending.length > 0 && hop < 10; hop++) {
    const info = await store.readObjectInfo(repoId, pending)
    const tagOids = pending.filter((o) => info.get(o)?.type === 'tag')
    for (const o of pending) {
      const type = info.get(o)?.type
      if (type === 'commit') commits.push(o)
      else if (type === 'tree') trees.push(o)
      else if (type === 'blob') blobs.push(o)
    }
    tags.push(...tagOids)
    const tagObjects = await store.readObjects(repoId, tagOids)
    pending = [...tagObjects.values()].map((t) => parseTag(t.content).object)
  }
  return { commits, tags, trees, blobs }
}

/** Every commit of `graph` reachable from `heads`, not walking past the `cut` commits. */
function ancestry(
  graph: Map<string, GraphCommit>,
  heads: readonly string[],
  cut: ReadonlySet<string>,
): Set<string> {
  const seen = new Set<string>(heads)
  const stack = [...heads]
  while (stack.length > 0) {
    const oid = stack.pop()!
    if (cut.has(oid)) continue
    for (const p of graph.get(oid)?.parents ?? []) {
      if (!seen.has(p) && graph.has(p)) {
        seen.add(p)
        stack.push(p)
      }
    }
  }
  return seen
}

/**
 * Breadth-first from the wants: the commits the client lacks and, with a depth, the new shallow
 * boundary, computed from the wants alone like git's. Without a depth the walk stops at commits
 * the client has and at its shallow commits; with one, a client shallow commit inside the depth
 * is walked through ("unshallowed"). Commits whose parents are not stored (a shallow repository)
 * are boundary commits too.
 */
function walkWants({
  graph,
  wants,
  has,
  cut,
  depth,
}: {
  graph: Map<string, GraphCommit>
  wants: readonly string[]
  has: ReadonlySet<string>
  cut: ReadonlySet<string>
  depth?: number
}) {
  const commits: GraphCommit[] = []
  const shallow = new Set<string>()
  const unshallow: string[] = []
  const seen = new Set<string>()
  let level = wants.filter((w) => graph.has(w))
  for (const w of level) seen.add(w)
  for (let distance = 0; level.length > 0; distance++) {
    const next: string[] = []
    for (const oid of level) {
      const c = graph.get(oid)!
      if (!has.has(oid)) commits.push(c)
      const parents = c.parents.filter((p) => graph.has(p))
      if (parents.length < c.parents.length) shallow.add(oid)
      if (depth === undefined) {
        if (has.has(oid) || cut.has(oid)) continue
      } else if (distance + 1 >= depth) {
        if (c.parents.length > 0) shallow.add(oid)
        continue
      } else if (cut.has(oid) && parents.length > 0) {
        unshallow.push(oid)
      }
      for (const p of parents) {
        if (!seen.has(p)) {
          seen.add(p)
          next.push(p)
        }
      }
    }
    level = next
  }
  return { commits, shallow, unshallow }
}

/**
 * The annotated tags among `tags` whose target is being sent (`sent`), or is one of these tags
 * (a chain of tags): git's include-tag.
 */
export async function followTags({
  store,
  repoId,
  tags,
  sent,
}: {
  store: GitStore
  repoId: number
  tags: readonly string[]
  sent: (oid: string) => boolean
}): Promise<string[]> {
  const objects = await store.readObjects(
    repoId,
    tags.filter((t) => !sent(t)),
  )
  const added = new Set<string>()
  let more = true
  while (more) {
    more = false
    for (const [oid, o] of objects) {
      if (o.type !== 'tag' || added.has(oid)) continue
      const target = parseTag(o.content).object
      if (sent(target) || added.has(target)) {
        added.add(oid)
        more = true
      }
    }
  }
  return [...added]
}

/**
 * The shallow boundary a fetch of `wants` with `depth` gives a client whose shallow commits are
 * `clientShallow`, as git announces it before negotiating (it does not depend on the haves).
 */
export async function findShallowBoundary({
  store,
  repoId,
  wants,
  clientShallow = [],
  depth,
}: {
  store: GitStore
  repoId: number
  wants: readonly string[]
  clientShallow?: readonly string[]
  depth: number
}): Promise<{ shallow: string[]; unshallow: string[] }> {
  const { commits } = await classifyWants(store, repoId, wants)
  const graph = await store.readCommitGraph(repoId, commits)
  const cut = new Set(clientShallow)
  const walk = walkWants({ graph, wants: commits, has: new Set(), cut, depth })
  return { shallow: [...walk.shallow].filter((s) => !cut.has(s)), unshallow: walk.unshallow }
}

/** The commits among `wants` (annotated tags peeled), for negotiation. */
export async function peelWantsToCommits(
  store: GitStore,
  repoId: number,
  wants: readonly string[],
): Promise<string[]> {
  return (await classifyWants(store, repoId, wants)).commits
}
