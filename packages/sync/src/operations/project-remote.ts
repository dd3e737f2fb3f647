import { Repository, type GitStore, type ObjectCache, type RemoteConfig } from '@gitpg/git-pg-fs'
import { SyncError } from '../errors.ts'

/** Opens a project and the remote it records; `NO_REMOTE` when it has none. */
export async function openProjectRemote({
  store,
  name,
  cache,
}: {
  store: GitStore
  name: string
  cache?: ObjectCache
}): Promise<{ repo: Repository; remote: RemoteConfig & { branch?: string } }> {
  const repo = await Repository.open({ store, name, cache })
  const record = await store.getRepo(name)
  const remote = record?.remote
  if (!remote || typeof remote.url !== 'string')
    throw new SyncError('NO_REMOTE', `project ${name} has no remote; import it from one first`, {
      project: name,
    })
  return { repo, remote }
}
