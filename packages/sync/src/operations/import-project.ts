import { checkConnected, Repository, type GitStore, type RefUpdate } from '@gitpg/git-pg-fs'
import { SyncError } from '../errors.ts'
import type { RemoteRef } from '../transport/git-remote.ts'
import { parseRemoteUrl } from '../transport/remote-url.ts'
import { localHaves } from './local-haves.ts'
import { readShallow } from './shallow.ts'
import { storeFetchedPack } from './store-fetched-pack.ts'
import { connectSmartHttp, syncCredentials, type SyncOptions } from './sync-options.ts'

export interface ImportOptions extends SyncOptions {
  /** the project (repository name); created when it does not exist */
  name: string
  url: string
  /** the branch to import; the remote's default branch when omitted */
  branch?: string
  /** import every branch (the default branch stays the one followed) */
  allBranches?: boolean
  /** history depth; full history when omitted */
  depth?: number
  /** the GitHub API for this remote (GitHub Enterprise: `https://host/api/v3`), kept with it */
  githubApiUrl?: string
}

export interface ImportResult {
  project: string
  created: boolean
  /** the branch the project follows on the remote */
  branch: string
  head: string | null
  branches: { name: string; oid: string }[]
  tags: string[]
  /** objects received */
  objects: number
  shallow: boolean
}

/** The remote's default branch: where its HEAD points, else `main`, `master` or the first. */
function defaultRemoteBranch(refs: readonly RemoteRef[]): string | null {
  const head = refs.find((r) => r.name === 'HEAD')?.target
  const heads = refs.filter((r) => r.name.startsWith('refs/heads/'))
  const names = heads.map((r) => r.name.slice('refs/heads/'.length))
  if (head?.startsWith('refs/heads/') && names.includes(head.slice(11))) return head.slice(11)
  return names.find((n) => n === 'main') ?? names.find((n) => n === 'master') ?? names[0] ?? null
}

/**
 * Imports a git remote into a project: one fetch (one pack), then objects, branches, tags the
 * pack brought, the shallow boundary and the remote's address, in one transaction. An existing
 * project's branches only move forward (`DIVERGED` otherwise); any failure leaves it as it was.
 *
 * @example
 * await importProject({ store, name: 'docs', url: 'https://github.com/octo/docs.git', depth: 1 })
 */
export async function importProject(options: ImportOptions): Promise<ImportResult> {
  const { store, name, onProgress } = options
  const parsed = parseRemoteUrl(options.url)
  if (options.depth !== undefined && (!Number.isInteger(options.depth) || options.depth < 1))
    throw new TypeError('depth must be a positive integer')
  const remote = (options.connect ?? connectSmartHttp)({
    url: parsed.url,
    credentials: syncCredentials({ ...options, token: options.token ?? parsed.token }, parsed.url),
  })
  onProgress?.({ phase: 'connecting' })
  const refs = await remote.listRefs({ prefixes: ['HEAD', 'refs/heads/', 'refs/tags/'] })
  const heads = new Map(
    refs
      .filter((r) => r.name.startsWith('refs/heads/'))
      .map((r) => [r.name.slice('refs/heads/'.length), r.oid]),
  )
  const followed = options.branch ?? defaultRemoteBranch(refs)
  if (options.branch !== undefined && !heads.has(options.branch))
    throw new SyncError(
      'REMOTE_BRANCH_NOT_FOUND',
      `${parsed.url} has no branch ${options.branch}`,
      { url: parsed.url, branch: options.branch },
    )
  const selected = [...heads].filter(([b]) => options.allBranches || b === followed)

  const record = await store.getRepo(name)
  const repo = record ? await Repository.open({ store, name, cache: options.cache }) : null
  const local = new Map<string, string | null>()
  for (const [b] of selected) local.set(b, repo ? await repo.readRef(`refs/heads/${b}`) : null)
  const shallow = record ? await readShallow(store, record.repoId) : []

  const candidates = [...new Set(selected.map(([, oid]) => oid))]
  const present = record ? await store.hasObjects(record.repoId, candidates) : new Set<string>()
  const wants = candidates.filter((o) => !present.has(o))
  const localHeads = [...local.values()].filter((o): o is string => o !== null)
  const fetched =
    wants.length === 0
      ? null
      : await remote.fetchPack({
          wants,
          haves: repo ? await localHaves({ reader: repo.reader, heads: localHeads, shallow }) : [],
          shallow,
          depth: options.depth,
          onProgress,
        })

  const branchName = followed ?? record?.defaultBranch ?? 'main'
  let created = false
  const result = await storeFetchedPack({
    store,
    repoId: record
      ? record.repoId
      : async (tx) => {
          const made = await tx.createRepo({ name, defaultBranch: branchName })
          created = made.created
          return made.repo.repoId
        },
    fetched,
    shallow,
    onProgress,
    maxObjectSize: options.maxObjectSize,
    apply: async (tx, repoId, imported) => {
      const updates: RefUpdate[] = []
      for (const [b, oid] of selected) {
        const mine = local.get(b) ?? null
        if (mine === oid) continue
        if (mine && !(await tx.readCommitGraph(repoId, [oid])).has(mine))
          throw new SyncError(
            'DIVERGED',
            `branch ${b} has commits the remote does not have; pull with merge or push first`,
            { branch: b, local: mine, remote: oid },
          )
        updates.push({ name: `refs/heads/${b}`, expected: mine, oid })
      }
      const tags = await tagUpdates(tx, repoId, refs)
      const tips = [...updates, ...tags].flatMap((u) => (u.oid ? [u.oid] : []))
      // locked before the check: what it finds stored cannot be collected before the refs move
      const names = [...updates, ...tags].map((u) => u.name).sort()
      for (const n of names) await tx.lockRef(repoId, n)
      if (!imported?.holds(tips)) await checkConnected({ store: tx, repoId, tips })
      await tx.updateRefs(repoId, [...updates, ...tags])
      const remoteConfig = { url: remote.url, branch: branchName }
      if (options.githubApiUrl) Object.assign(remoteConfig, { githubApiUrl: options.githubApiUrl })
      await tx.updateRepo(repoId, { remote: remoteConfig })
      const isShallow = (await readShallow(tx, repoId)).length > 0
      return { objects: imported?.objects ?? 0, tags: tags.map((t) => t.name.slice(10)), isShallow }
    },
  })
  onProgress?.({ phase: 'done', objects: result.objects })
  return {
    project: name,
    created,
    branch: branchName,
    head: heads.get(branchName) ?? null,
    branches: selected.map(([b, oid]) => ({ name: b, oid })),
    tags: result.tags,
    objects: result.objects,
    shallow: result.isShallow,
  }
}

/** Remote tags whose objects are now stored and that the project does not have yet. */
async function tagUpdates(tx: GitStore, repoId: number, refs: readonly RemoteRef[]) {
  const tags = refs.filter((r) => r.name.startsWith('refs/tags/') && !r.name.endsWith('^{}'))
  if (tags.length === 0) return []
  const have = await tx.hasObjects(
    repoId,
    tags.map((t) => t.oid),
  )
  const existing = new Set((await tx.listRefs(repoId, 'refs/tags/')).map((r) => r.name))
  return tags
    .filter((t) => have.has(t.oid) && !existing.has(t.name))
    .map((t): RefUpdate => ({ name: t.name, expected: null, oid: t.oid }))
}
