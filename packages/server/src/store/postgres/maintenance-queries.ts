import type { Executor } from '@gitpg/git-pg-fs'

/** A project as maintenance names it. */
export interface MaintainedProject {
  repoId: number
  name: string
}

/**
 * The blob ids of a project's pending changes: maintenance keeps them as if a ref reached them,
 * so a commit of the pending changes never refers to a collected object.
 */
export async function pendingBlobIds(db: Executor, repoId: number): Promise<string[]> {
  const { rows } = await db.query<{ oid: string }>(
    `SELECT DISTINCT oid FROM pending_changes WHERE repo_id = $1 AND oid IS NOT NULL`,
    [repoId],
  )
  return rows.map((r) => r.oid)
}

/** Every project, by name. */
export async function listProjects(db: Executor): Promise<MaintainedProject[]> {
  const { rows } = await db.query<{ repo_id: number; name: string }>(
    'SELECT repo_id, name FROM repos ORDER BY name',
  )
  return rows.map((r) => ({ repoId: r.repo_id, name: r.name }))
}

/**
 * The projects the background job should maintain, longest-waiting first: those whose refs
 * moved (a `ref.updated` event of the change feed) since their last run, and those never
 * maintained that hold objects. Autosaves alone do not make a project due: they write no objects.
 */
export async function dueProjects(db: Executor): Promise<MaintainedProject[]> {
  const { rows } = await db.query<{ repo_id: number; name: string }>(
    `SELECT r.repo_id, r.name FROM repos r
     LEFT JOIN git_maintenance m ON m.repo_id = r.repo_id
     WHERE CASE WHEN m.last_run_at IS NULL
       THEN EXISTS (SELECT 1 FROM git_objects o WHERE o.repo_id = r.repo_id)
       ELSE EXISTS (SELECT 1 FROM project_events e WHERE e.repo_id = r.repo_id
         AND e.created_at > m.last_run_at AND e.kind = 'ref.updated')
     END
     ORDER BY m.last_run_at NULLS FIRST, r.repo_id`,
  )
  return rows.map((r) => ({ repoId: r.repo_id, name: r.name }))
}
