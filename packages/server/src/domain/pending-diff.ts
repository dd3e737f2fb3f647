import { comparePaths, type DiffEntry, type Repository } from '@gitpg/git-pg-fs'
import { ApiError } from '../errors.ts'
import type { PendingChange, PendingStore } from '../store/pending-store.ts'
import { listFiles, listingTooLarge } from './list-files.ts'
import { locateFiles } from './locate-files.ts'
import { ancestorsOf, inScope, overlayPending, type CommittedEntry } from './pending-overlay.ts'
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
    if (!rows.some((r) => r.oid !== null && r.path === paths[i])) continue
    const under = await listFiles({ repo, commit, prefix: paths[i], limit: limit - out.length })
    out.push(...under.map(({ path, oid, mode }) => ({ path, oid, mode })))
    if (out.length > limit) throw listingTooLarge(limit, paths[i])
  }
  return out
}

/**
 * The diff of a user's pending changes against the default branch's head, as `git diff HEAD`
 * prints it in a work tree where those changes are applied (`--name-status --no-renames`):
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
  changes.sort((a, b) => comparePaths(a.path, b.path))
  const shown = new Set(changes.map((c) => c.path))
  return { base, changes, rows: rows.filter((r) => r.oid !== null && shown.has(r.path)) }
}

/**
 * Reads blobs for `formatPatch` over a pending diff: the pending contents from the user's pending
 * changes (checked against the ids the diff was made with: a change saved again meanwhile is
 * `PENDING_CONFLICT`, ask again), every other blob from the repository.
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
  const pathOf = new Map(rows.map((r) => [r.oid!, r.path]))
  return async (oids) => {
    const mine = oids.filter((o) => pathOf.has(o))
    const stored = await repo.reader.readMany(oids.filter((o) => !pathOf.has(o)))
    const out = new Map([...stored].map(([oid, o]) => [oid, o.content]))
    if (mine.length === 0) return out
    const read = await pending.read(
      repo.repoId,
      userId,
      mine.map((o) => pathOf.get(o)!),
    )
    for (const oid of mine) {
      const row = read.find((r) => r.oid === oid)
      if (!row?.content)
        throw new ApiError(
          'PENDING_CONFLICT',
          `the pending version of ${pathOf.get(oid)} changed while the patch was written: ask again`,
          { path: pathOf.get(oid) },
        )
      out.set(oid, row.content)
    }
    return out
  }
}
