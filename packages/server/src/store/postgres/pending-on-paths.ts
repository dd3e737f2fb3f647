import { decodePath, encodePath, type Executor } from '@gitpg/git-pg-fs'

/** Pending changes by any user on any of `paths` of a repository (for pull conflict reports). */
export async function findPendingOnPaths(
  executor: Executor,
  { repoId, paths }: { repoId: number; paths: readonly string[] },
): Promise<{ path: string; userId: string }[]> {
  if (paths.length === 0) return []
  const { rows } = await executor.query<{ path: Buffer; user_id: string }>(
    `SELECT path, user_id FROM pending_changes
     WHERE repo_id = $1 AND path = ANY($2::bytea[])
     ORDER BY path, user_id`,
    [repoId, paths.map(encodePath)],
  )
  return rows.map((r) => ({ path: decodePath(r.path), userId: r.user_id }))
}
