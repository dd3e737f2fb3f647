import type { PostgresStore } from '@gitpg/git-pg-fs'

/** Everything about a project a failed sync must leave alone. */
export async function snapshot(store: PostgresStore, name: string) {
  const repo = await store.getRepo(name)
  if (!repo) return null
  const refs = await store.listRefs(repo.repoId)
  const shallow = await store.readFile(repo.repoId, 'shallow')
  return {
    repo: { name: repo.name, defaultBranch: repo.defaultBranch, remote: repo.remote },
    refs,
    objects: await store.countObjects(repo.repoId),
    shallow: shallow?.content.toString() ?? null,
  }
}
