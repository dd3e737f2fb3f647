import { checkConnected, comparePaths, ObjectCache, Repository } from '@gitpg/git-pg-fs'
import { SyncError } from '../errors.ts'
import { mergeCommits } from './merge-commits.ts'
import { localHaves } from './local-haves.ts'
import { openProjectRemote } from './project-remote.ts'
import { readShallow } from './shallow.ts'
import { storeFetchedPack } from './store-fetched-pack.ts'
import { connectSmartHttp, syncCredentials, type SyncOptions } from './sync-options.ts'

/** A pending (uncommitted) change of one user on one path. */
export interface PendingOnPath {
  path: string
  userId: string
}

/** Finds pending changes by any user on any of `paths`; supplied by whoever keeps them. */
export type FindPending = (input: {
  repoId: number
  paths: readonly string[]
}) => Promise<PendingOnPath[]>

export interface PullOptions extends SyncOptions {
  name: string
  /** the branch to update (and the remote branch of the same name); the followed one by default */
  branch?: string
  /** merge diverged histories (a merge commit) instead of failing with `DIVERGED` */
  merge?: boolean
  /** author of a merge commit; `gitpg <gitpg@localhost>` by default */
  author?: { name: string; email: string }
  findPending?: FindPending
}

export interface PullConflict {
  path: string
  /** users with pending changes on the path */
  users: string[]
}

export interface PullResult {
  branch: string
  /** the branch before (null: it did not exist) */
  from: string | null
  /** the branch after */
  to: string | null
  /** nothing new on the remote (or only commits the local branch has already) */
  upToDate: boolean
  /** the branches had diverged and `to` is the merge commit */
  merged: boolean
  /** paths that changed between `from` and `to` */
  changedPaths: string[]
  /** changed paths that have pending changes; their pending content is left as it is */
  conflicts: PullConflict[]
  objects: number
}

/**
 * Fetches the project's remote branch and fast-forwards the local branch to it, in one
 * transaction. Reports what changed and which changed paths have pending changes. When both
 * sides have new commits, `DIVERGED` and nothing changes.
 *
 * @example
 * const { from, to, conflicts } = await pullProject({ store, name: 'docs', findPending })
 */
export async function pullProject(options: PullOptions): Promise<PullResult> {
  const { store, name, onProgress } = options
  const { repo, remote: config } = await openProjectRemote({ store, name, cache: options.cache })
  const branch = options.branch ?? config.branch ?? repo.defaultBranch
  const remote = (options.connect ?? connectSmartHttp)({
    url: config.url,
    credentials: syncCredentials(options, config.url),
  })
  onProgress?.({ phase: 'connecting' })
  const ref = `refs/heads/${branch}`
  const theirs = (await remote.listRefs({ prefixes: [ref] })).find((r) => r.name === ref)?.oid
  if (!theirs)
    throw new SyncError('REMOTE_BRANCH_NOT_FOUND', `${config.url} has no branch ${branch}`, {
      url: config.url,
      branch,
    })
  const mine = await repo.readRef(ref)
  const unchanged = {
    branch,
    from: mine,
    to: mine,
    upToDate: true,
    merged: false,
    changedPaths: [],
    conflicts: [],
  }
  if (mine === theirs) return { ...unchanged, objects: 0 }

  const shallow = await readShallow(store, repo.repoId)
  const present = await store.hasObjects(repo.repoId, [theirs])
  const fetched = present.has(theirs)
    ? null
    : await remote.fetchPack({
        wants: [theirs],
        haves: mine ? await localHaves({ reader: repo.reader, heads: [mine], shallow }) : [],
        shallow,
        onProgress,
      })

  const outcome = await storeFetchedPack({
    store,
    repoId: repo.repoId,
    fetched,
    shallow,
    onProgress,
    maxObjectSize: options.maxObjectSize,
    apply: async (tx, repoId, imported) => {
      // the ref's lock (and the GC lock, shared) before any check: a commit found stored here
      // (fetched or not) cannot be collected before the ref points at it
      await tx.lockRef(repoId, ref)
      const objects = imported?.objects ?? 0
      if (mine && !(await tx.readCommitGraph(repoId, [theirs])).has(mine)) {
        if ((await tx.readCommitGraph(repoId, [mine])).has(theirs))
          return { moved: false, objects, to: mine, merged: false }
        if (options.merge) {
          const merged = await mergeCommits({
            repo: new Repository({
              store: tx,
              repoId,
              name,
              defaultBranch: repo.defaultBranch,
              cache: new ObjectCache(),
            }),
            ours: mine,
            theirs,
            message: `Merge branch '${branch}' of ${config.url}`,
            author: {
              name: options.author?.name ?? 'gitpg',
              email: options.author?.email ?? 'gitpg@localhost',
              timestamp: Math.floor(Date.now() / 1000),
              timezoneOffset: 0,
            },
          })
          await tx.writeObjects(repoId, merged.objects)
          await checkConnected({ store: tx, repoId, tips: [merged.oid] })
          await tx.updateRefs(repoId, [{ name: ref, expected: mine, oid: merged.oid }])
          return { moved: true, objects, to: merged.oid, merged: true }
        }
        throw new SyncError(
          'DIVERGED',
          `branch ${branch} and ${config.url} both have new commits; nothing was changed`,
          { branch, local: mine, remote: theirs },
        )
      }
      await checkConnected({ store: tx, repoId, tips: [theirs] })
      await tx.updateRefs(repoId, [{ name: ref, expected: mine, oid: theirs }])
      return { moved: true, objects, to: theirs, merged: false }
    },
  })
  onProgress?.({ phase: 'done', objects: outcome.objects })
  if (!outcome.moved) return { ...unchanged, objects: outcome.objects }

  const to = outcome.to
  const changes = await repo.diff({ from: mine, to })
  const changedPaths = changes.map((c) => c.path)
  const pending =
    options.findPending && changedPaths.length > 0
      ? await options.findPending({ repoId: repo.repoId, paths: changedPaths })
      : []
  const users = new Map<string, Set<string>>()
  for (const p of pending) users.set(p.path, (users.get(p.path) ?? new Set()).add(p.userId))
  const conflicts = [...users]
    .map(([path, who]) => ({ path, users: [...who].sort() }))
    .sort((a, b) => comparePaths(a.path, b.path))
  return {
    branch,
    from: mine,
    to,
    upToDate: false,
    merged: outcome.merged,
    changedPaths,
    conflicts,
    objects: outcome.objects,
  }
}
