import { encodePath } from '@gitpg/git-pg-fs'
import type { PendingChange } from '../store/pending-store.ts'

/** A committed entry the overlay keeps or replaces: a file, symlink or submodule. */
export interface CommittedEntry {
  path: string
  oid: string
  mode: string
}

/** A path the user's pending changes write: content `oid` of `size` bytes. */
export interface PendingEntry {
  path: string
  oid: string
  mode: string
  size: number
  pending: true
}

/** The proper ancestors of a path: `a/b/c` → `a`, `a/b`. */
export function ancestorsOf(path: string): string[] {
  const out: string[] = []
  for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1))
    out.push(path.slice(0, at))
  return out
}

/** Whether `path` is `scope` or lies under it (an empty scope holds every path). */
export function inScope(path: string, scope: string): boolean {
  return scope === '' || path === scope || path.startsWith(`${scope}/`)
}

/**
 * The mode a pending write takes, as a commit of it gives it: the committed file's mode when
 * there is a committed file (regular, executable or symlink) at the path, else `100644`.
 */
const keptMode = (committed: CommittedEntry | undefined) =>
  committed && committed.mode.startsWith('1') && committed.mode !== '160000'
    ? committed.mode
    : '100644'

/**
 * Lays a user's pending changes over committed entries, as a work tree with those changes
 * applied would hold them: a pending deletion removes the file, a pending write adds or replaces
 * it. The pending version wins where the branch moved since it was saved: a committed file at a
 * directory on the way of a pending write, or under a pending write's path, is left out; of two
 * pending writes where one is a directory on the way of the other, the shallower one wins.
 * Committed entries are the files at stake (all of them, or only those a pending change can
 * touch); the answer is in git's path order.
 *
 * @example
 * overlayPending(committed, rows) // [{ path: 'a/b', oid, mode: '100644', size: 3, pending: true }]
 */
export function overlayPending<T extends CommittedEntry>(
  committed: readonly T[],
  rows: readonly PendingChange[],
): (T | PendingEntry)[] {
  const deleted = new Set(rows.filter((r) => r.oid === null).map((r) => r.path))
  const depth = (path: string) => path.split('/').length
  const writes = rows
    .filter((r) => r.oid !== null)
    .map((r) => ({ ...r, depth: depth(r.path) }))
    .sort((a, b) => a.depth - b.depth)
  const written = new Map<string, PendingChange>()
  const onTheWay = new Set<string>()
  for (const w of writes) {
    const up = ancestorsOf(w.path)
    if (up.some((a) => written.has(a))) continue
    written.set(w.path, w)
    for (const a of up) onTheWay.add(a)
  }
  const byPath = new Map(committed.map((e) => [e.path, e]))
  const out: (T | PendingEntry)[] = committed.filter(
    (e) =>
      !deleted.has(e.path) &&
      !written.has(e.path) &&
      !onTheWay.has(e.path) &&
      !ancestorsOf(e.path).some((a) => written.has(a)),
  )
  for (const w of written.values())
    out.push({
      path: w.path,
      oid: w.oid!,
      mode: keptMode(byPath.get(w.path)),
      size: w.size,
      pending: true,
    })
  return sortByPathBytes(out)
}

/**
 * Sorts entries in place in git's order (by the bytes of their paths), each path encoded once:
 * a comparison that encoded both sides would make two buffers per call.
 */
export function sortByPathBytes<T extends { path: string }>(entries: T[]): T[] {
  const keys = new Map(entries.map((e) => [e, encodePath(e.path)]))
  return entries.sort((a, b) => Buffer.compare(keys.get(a)!, keys.get(b)!))
}
