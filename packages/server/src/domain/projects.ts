import {
  GitPgError,
  Repository,
  RepoNotFoundError,
  type GitStore,
  type ObjectCache,
  type RemoteConfig,
} from '@gitpg/git-pg-fs'
import { ProjectNotFoundError } from '../errors.ts'
import { checkBranchName } from './ref-names.ts'

export interface ProjectDeps {
  store: GitStore
  cache: ObjectCache
}

export interface ProjectInfo {
  id: string
  defaultBranch: string
  /** the default branch's commit, null while the project has no commits */
  head: string | null
  remote: Record<string, unknown> | null
}

/** Opens a project's repository; `PROJECT_NOT_FOUND` when there is none. */
export async function openProject({
  store,
  cache,
  projectId,
}: ProjectDeps & { projectId: string }): Promise<Repository> {
  try {
    return await Repository.open({ store, name: projectId, cache })
  } catch (err) {
    if (err instanceof RepoNotFoundError) throw new ProjectNotFoundError(projectId)
    throw err
  }
}

/** The head of a branch (default: the project's default branch), or null before its first commit. */
export async function branchHead(repo: Repository, branch = repo.defaultBranch) {
  return repo.readRef(`refs/heads/${branch}`)
}

/** A URL without the credentials it may carry (`https://user:secret@host/` → `https://host/`). */
function withoutCredentials(value: unknown): unknown {
  if (typeof value !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(value)) return value
  try {
    const url = new URL(value)
    url.username = ''
    url.password = ''
    return url.toString()
  } catch {
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1')
  }
}

/**
 * The remote as callers may see it: anything that looks like a secret is left out, and URLs lose
 * any credentials they carry.
 */
function publicRemote(remote: RemoteConfig | null): Record<string, unknown> | null {
  if (!remote) return null
  return Object.fromEntries(
    Object.entries(remote)
      .filter(([key]) => !/token|secret|password|auth/i.test(key))
      .map(([key, value]) => [key, withoutCredentials(value)]),
  )
}

export async function describeProject(
  deps: ProjectDeps & { projectId: string },
): Promise<ProjectInfo> {
  const repo = await openProject(deps)
  const record = await deps.store.getRepo(deps.projectId)
  return {
    id: repo.name,
    defaultBranch: repo.defaultBranch,
    head: await branchHead(repo),
    remote: publicRemote(record?.remote ?? null),
  }
}

/** Creates an empty project unless it exists; `created` tells which. */
export async function createProject({
  store,
  cache,
  projectId,
  defaultBranch = 'main',
}: ProjectDeps & { projectId: string; defaultBranch?: string }) {
  checkBranchName(defaultBranch)
  const { created } = await store.createRepo({ name: projectId, defaultBranch })
  return { created, project: await describeProject({ store, cache, projectId }) }
}

/**
 * Deletes a project with all its objects, refs, pending changes and feed: it is gone from sight
 * (its name free again) in one short transaction, and its rows are then removed in transactions
 * of at most `batchSize` rows. A deletion a crash interrupts is finished by maintenance.
 */
export async function deleteProject({
  batchSize,
  ...deps
}: ProjectDeps & { projectId: string; batchSize?: number }): Promise<void> {
  const repo = await openProject(deps)
  await deps.store.deleteRepo(repo.repoId, { batchSize })
}

/**
 * Makes `branch` the project's default branch: the branch must exist (`BRANCH_NOT_FOUND`);
 * HEAD's symbolic ref moves with it in the same transaction, so a clone checks it out. The
 * branch is locked meanwhile, so it cannot be deleted half-way.
 *
 * @example
 * await setDefaultBranch({ store, cache, projectId: 'docs', branch: 'trunk' })
 */
export async function setDefaultBranch({
  branch,
  ...deps
}: ProjectDeps & { projectId: string; branch: string }): Promise<ProjectInfo> {
  checkBranchName(branch)
  const repo = await openProject(deps)
  await deps.store.transaction(async (tx) => {
    const ref = await tx.lockRef(repo.repoId, `refs/heads/${branch}`)
    if (!ref?.oid)
      throw new GitPgError('BRANCH_NOT_FOUND', `branch ${branch} does not exist`, { branch })
    await tx.updateRepo(repo.repoId, { defaultBranch: branch })
    await tx.updateRefs(repo.repoId, [{ name: 'HEAD', oid: null, target: `refs/heads/${branch}` }])
  })
  return describeProject(deps)
}
