import type { DiffEntry, Repository } from '@gitpg/git-pg-fs'
import { ApiError } from '../errors.ts'
import type { PendingChange, PendingStore } from '../store/pending-store.ts'
import { listFiles, listingTooLarge } from './list-files.ts'
import { locateFiles } from './locate-files.ts'
import {
  ancestorsOf,
  inScope,
  overlayPending,
  sortByPathBytes,
  type CommittedEntry,
} from './pending-overlay.ts'
import { branchHead } from './projects.ts'
import { pendingRows } from './user-files.ts'

/** The pending diff: the commit it is against, the changes, and the pending blobs by path. */
export interface PendingDiff {
  /** the default branch's head the changes are laid over (null: no commit yet) */
  base: string | null
  changes: DiffEntry[]
  /** the pending rows whose content the changes' new sides hold */
  rows: PendingChange[]
}

const kind = (mode: string) => (mode.startsWith('100') ? 'file' : mode)

/**
 * The committed files a set of pending changes can touch: the files at their paths, the files at
 * directories on the way of a pending write, and every file under a pending write's path where
 * the branch has a directory (at most `limit` of those).
 */
async function filesAtStake({
  repo,
  commit,
  rows,
  limit,
}: {
  repo: Repository
  commit: string
  rows: readonly PendingChange[]
  limit: number
}): Promise<CommittedEntry[]> {
  const paths = [
    ...new Set(rows.flatMap((r) => (r.oid === null ? [r.path] : [...ancestorsOf(r.path), r.path]))),
  ]
  const written = new Set(rows.filter((r) => r.oid !== null).map((r) => r.path))
  const root = (await repo.reader.commit(commit)).tree
  const entries = await locateFiles(repo.reader, root, paths)
  const out: CommittedEntry[] = []
  for (const [i, e] of entries.entries()) {
    if (!e) continue
    if (e.type !== 'tree') {
      out.push({ path: paths[i], oid: e.oid, mode: e.mode })
      continue
    }
    // a directory where the user saved a file: its files give way (read only for such a write)
    if (!written.has(paths[i])) continue
    const under = await listFiles({ repo, commit, prefix: paths[i], limit: limit - out.length })
    out.push(...under.map(({ path, oid, mode }) => ({ path, oid, mode })))
    if (out.length > limit) throw listingTooLarge(limit, paths[i])
  }
  return out
}

/**
 * The diff of a user's pending changes against the default branch's head, as `git diff --cached
 * --no-renames` prints it in a work tree of that head where the changes are applied and staged:
 * entries in git's path order, the same shape as `repo.diff` gives. The pending changes are laid
 * over the current head as `overlayPending` lays them, so the answer is what committing them
 * now would change. `path` narrows it to a file or directory.
 *
 * @example
 * const { changes } = await pendingDiff({ repo, pending, userId: 'ada', limit: 200_000 })
 */
export async function pendingDiff({
  repo,
  pending,
  userId,
  path = '',
  limit,
}: {
  repo: Repository
  pending: PendingStore
  userId: string
  path?: string
  limit: number
}): Promise<PendingDiff> {
  const [base, all] = await Promise.all([
    repo.defaultHeadAtOpen !== undefined ? repo.defaultHeadAtOpen : branchHead(repo),
    pendingRows({ repo, pending, userId, limit }),
  ])
  const rows = all.filter((r) => inScope(r.path, path) || (r.oid !== null && inScope(path, r.path)))
  const before = base ? await filesAtStake({ repo, commit: base, rows, limit }) : []
  const after = new Map(overlayPending(before, rows).map((e) => [e.path, e]))
  const old = new Map(before.map((e) => [e.path, e]))
  const changes: DiffEntry[] = []
  for (const p of new Set([...old.keys(), ...after.keys()])) {
    if (!inScope(p, path)) continue
    const x = old.get(p)
    const y = after.get(p)
    if (x && y && x.oid === y.oid && x.mode === y.mode) continue
    changes.push({
      path: p,
      status: x && y ? (kind(x.mode) === kind(y.mode) ? 'M' : 'T') : x ? 'D' : 'A',
      oldOid: x?.oid ?? null,
      newOid: y?.oid ?? null,
      oldMode: x?.mode ?? null,
      newMode: y?.mode ?? null,
    })
  }
  sortByPathBytes(changes)
  const shown = new Set(changes.map((c) => c.path))
  return { base, changes, rows: rows.filter((r) => r.oid !== null && shown.has(r.path)) }
}

/** Pending contents read ahead in one query: this many at most, and this many bytes. */
const AHEAD_ROWS = 64
const AHEAD_BYTES = 8 * 1024 * 1024

/**
 * Reads blobs for `formatPatch` over a pending diff: every stored blob from the repository, and
 * the pending contents from the user's pending changes, read ahead in path order (the patch's
 * order) a window at a time, so a patch of many files makes few queries and holds at most a
 * window more than one file. Each is checked against the id the diff was made with: a change
 * saved again meanwhile is `PENDING_CONFLICT` (ask again).
 */
export function pendingBlobReader({
  repo,
  pending,
  userId,
  rows,
}: {
  repo: Repository
  pending: PendingStore
  userId: string
  rows: readonly PendingChange[]
}): (oids: readonly string[]) => Promise<Map<string, Buffer>> {
  const at = new Map(rows.map((r, i) => [r.oid!, i]))
  const ahead = new Map<string, Buffer>()
  const changed = (path: string) =>
    new ApiError(
      'PENDING_CONFLICT',
      `the pending version of ${path} changed while the patch was written: ask again`,
      { path },
    )
  async function readAhead(from: number) {
    const window: PendingChange[] = []
    let bytes = 0
    for (let i = from; i < rows.length && window.length < AHEAD_ROWS; i++) {
      if (window.length > 0 && bytes + rows[i].size > AHEAD_BYTES) break
      window.push(rows[i])
      bytes += rows[i].size
    }
    const read = new Map(
      (
        await pending.read(
          repo.repoId,
          userId,
          window.map((r) => r.path),
        )
      ).map((r) => [r.path, r]),
    )
    for (const r of window) {
      const found = read.get(r.path)
      if (!found?.content || found.oid !== r.oid) throw changed(r.path)
      ahead.set(r.oid!, found.content)
    }
  }
  return async (oids) => {
    const mine = oids.filter((o) => at.has(o))
    const stored = await repo.reader.readMany(oids.filter((o) => !at.has(o)))
    const out = new Map([...stored].map(([oid, o]) => [oid, o.content]))
    for (const oid of mine) {
      if (!ahead.has(oid)) await readAhead(at.get(oid)!)
      out.set(oid, ahead.get(oid)!)
      ahead.delete(oid)
    }
    return out
  }
}
