import {
  DEFAULT_RENAME_MAX_BYTES,
  DEFAULT_RENAME_MAX_STEPS,
  type RenameOptions,
} from '../diff/renames/detect-renames.ts'
import type { TreeEntry } from '../objects/tree.ts'
import type { GraphCommit } from '../store/git-store.ts'
import { diffRenames } from './diff-renames.ts'
import { CommitQueue } from './commit-queue.ts'
import type { ObjectReader } from './object-reader.ts'
import { lookupPaths, splitPath } from './tree-walk.ts'

/**
 * Walks history like `git log --follow -- path`: every commit newest committer date first (no
 * history simplification), a commit shown when it changes the path against its only parent
 * (merges are not shown); where a commit creates the path, git's copy detection against the
 * parent's whole tree (`--find-copies-harder`) looks for where it came from, and from there on
 * the walk follows that path instead, as git does (for every later commit of the walk, on any
 * branch).
 *
 * @example
 * const oids = await followHistory({ reader, graph, head, path: 'src/new-name.ts', stopAfter: 100 })
 */
export async function followHistory({
  reader,
  graph,
  head,
  path,
  stopAfter,
  options = {},
}: {
  reader: ObjectReader
  graph: Map<string, GraphCommit>
  head: string
  path: string
  stopAfter: number
  options?: RenameOptions
}): Promise<string[]> {
  const entries = new Map<string, Map<string, TreeEntry | null>>()
  const entriesAt = async (p: string) => {
    let map = entries.get(p)
    if (!map) {
      const commits = [...graph.values()]
      const parts = splitPath(p)
      const found = await lookupPaths(
        reader,
        commits.map((c) => ({ root: c.tree, parts })),
      )
      map = new Map(commits.map((c, i) => [c.oid, found[i]]))
      entries.set(p, map)
    }
    return map
  }
  let current = path
  // one byte and step budget for every search of the walk: a path created again and again costs
  // no more
  let bytesLeft = options.maxBytes ?? DEFAULT_RENAME_MAX_BYTES
  let stepsLeft = options.maxSteps ?? DEFAULT_RENAME_MAX_STEPS
  const out: string[] = []
  const queue = new CommitQueue(graph)
  queue.push(head)
  while (queue.size > 0 && out.length < stopAfter) {
    const c = queue.shift()!
    const parents = c.parents.filter((p) => graph.has(p))
    for (const p of parents) queue.push(p)
    if (parents.length > 1) continue
    const at = await entriesAt(current)
    const mine = at.get(c.oid) ?? null
    if (parents.length === 0) {
      if (mine) out.push(c.oid)
      continue
    }
    const parent = graph.get(parents[0])!
    const before = at.get(parent.oid) ?? null
    if (mine?.oid === before?.oid && mine?.mode === before?.mode) continue
    out.push(c.oid)
    if (!mine || mine.type === 'tree' || (before && before.type !== 'tree')) continue
    const origin = await followOrigin({
      reader,
      from: parent.tree,
      to: c.tree,
      path: current,
      options: { ...options, maxBytes: bytesLeft, maxSteps: stepsLeft },
    })
    bytesLeft -= origin.bytesRead
    stepsLeft -= origin.steps
    if (origin.found) current = origin.found.oldPath
  }
  return out
}

/**
 * Where `path` of tree `to` came from in tree `from`, as `git log --follow` looks for it: git's
 * copy detection with `--find-copies-harder` (every file of `from` a source) for that one
 * destination: `found` is null when it was not renamed or copied; `bytesRead` and `steps`, the
 * blob bytes the search read and the steps its similarity matrix took.
 *
 * @example
 * const { found } = await followOrigin({ reader, from: parent.tree, to: commit.tree, path })
 * // { oldPath: 'src/old-name.ts', status: 'R', score: 54000 }
 */
export async function followOrigin({
  reader,
  from,
  to,
  path,
  options = {},
}: {
  reader: ObjectReader
  from: string
  to: string
  path: string
  options?: RenameOptions
}): Promise<{
  found: { oldPath: string; status: 'R' | 'C'; score: number } | null
  bytesRead: number
  steps: number
}> {
  const { changes, bytesRead, steps } = await diffRenames({
    reader,
    from,
    to,
    options: { ...options, copies: true, findCopiesHarder: true, singleFollow: path },
  })
  for (const x of changes)
    if ((x.status === 'R' || x.status === 'C') && x.path === path && x.oldPath !== null)
      return {
        found: { oldPath: x.oldPath, status: x.status, score: x.score ?? 0 },
        bytesRead,
        steps,
      }
  return { found: null, bytesRead, steps }
}
