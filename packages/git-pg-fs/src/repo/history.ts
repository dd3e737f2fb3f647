import { GitPgError } from '../errors.ts'
import type { GraphCommit } from '../store/git-store.ts'
import { CommitQueue } from './commit-queue.ts'
import type { ObjectReader } from './object-reader.ts'
import { lookupPaths } from './tree-walk.ts'

/**
 * Walks history like `git log [-- paths]`: newest committer date first (ties in the order they
 * were queued), and with paths, git's default history simplification — a commit is shown when
 * it changes the paths relative to every parent; a commit equal to one parent on those paths
 * follows only that parent.
 */
export async function walkHistory({
  reader,
  graph,
  head,
  paths,
  stopAfter,
}: {
  reader: ObjectReader
  graph: Map<string, GraphCommit>
  head: string
  /** pathspecs as component lists; empty for the whole history */
  paths: readonly (readonly string[])[]
  /** stop once this many commits are selected */
  stopAfter: number
}): Promise<string[]> {
  const signature = paths.length > 0 ? await pathSignatures(reader, graph, paths) : null
  const absent = paths.map(() => '-').join(',')
  const out: string[] = []
  const queue = new CommitQueue(graph)
  queue.push(head)
  while (queue.size > 0 && out.length < stopAfter) {
    const c = queue.shift()!
    let parents = c.parents.filter((p) => graph.has(p))
    let show = true
    if (signature) {
      const mine = signature.get(c.oid)
      if (parents.length === 0) {
        show = mine !== absent
      } else {
        const same = parents.find((p) => signature.get(p) === mine)
        if (same) {
          parents = [same]
          show = false
        }
      }
    }
    for (const p of parents) queue.push(p)
    if (show) out.push(c.oid)
  }
  return out
}

/** For each commit, a string naming what it holds at each path (mode and oid, or `-`). */
async function pathSignatures(
  reader: ObjectReader,
  graph: Map<string, GraphCommit>,
  paths: readonly (readonly string[])[],
): Promise<Map<string, string>> {
  const commits = [...graph.values()]
  const queries = commits.flatMap((c) => paths.map((parts) => ({ root: c.tree, parts })))
  const entries = await lookupPaths(reader, queries)
  const out = new Map<string, string>()
  commits.forEach((c, i) => {
    const sig = paths.map((_, j) => {
      const e = entries[i * paths.length + j]
      return e ? `${e.mode}:${e.oid}` : '-'
    })
    out.set(c.oid, sig.join(','))
  })
  return out
}

/** Log cursors pin the head a listing started from, so pages stay consistent while it moves. */
export function encodeCursor(head: string, skip: number): string {
  return Buffer.from(`${head}:${skip}`).toString('base64url')
}

export function decodeCursor(cursor: string): { head: string; skip: number } {
  const m = /^([0-9a-f]{40}):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())
  if (!m) throw new GitPgError('INVALID_CURSOR', 'the cursor is not one this server issued')
  return { head: m[1], skip: Number(m[2]) }
}
