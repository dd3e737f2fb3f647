import type { Database, Executor } from './database.ts'
import { lockGcExclusive } from './gc-lock.ts'

/** Tables whose rows of a repository go in the short transaction that hides it. */
const HIDDEN_AT_ONCE = ['git_refs', 'git_files']

/**
 * Hides a repository in the caller's transaction: its refs and gitdir files go, its `repos` row
 * too (and with it what references it, such as pending changes), so the name is free again at
 * once; its id is queued in `git_deleted_repos` for `purgeRepoRows` to remove the rest.
 */
export async function hideRepo(tx: Executor, repoId: number): Promise<void> {
  // after the writes under way: one that commits later would leave rows no purge removes
  await lockGcExclusive(tx, repoId)
  await tx.query(
    `INSERT INTO git_deleted_repos (repo_id, name) SELECT repo_id, name FROM repos
     WHERE repo_id = $1 ON CONFLICT (repo_id) DO NOTHING`,
    [repoId],
  )
  for (const table of HIDDEN_AT_ONCE)
    await tx.query(`DELETE FROM ${table} WHERE repo_id = $1`, [repoId])
  await tx.query('DELETE FROM repos WHERE repo_id = $1', [repoId])
}

/** The queued deletions, oldest first. */
export async function listDeletedRepos(db: Executor): Promise<{ repoId: number; name: string }[]> {
  const { rows } = await db.query<{ repo_id: number; name: string }>(
    'SELECT repo_id, name FROM git_deleted_repos ORDER BY deleted_at, repo_id',
  )
  return rows.map((r) => ({ repoId: r.repo_id, name: r.name }))
}

/**
 * Every table of the schema that holds rows by `repo_id` (the git store's and the server's
 * alike), but `repos` and the queue itself: a table added later is purged without a change here.
 */
export async function repoTables(db: Executor): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = current_schema() AND c.column_name = 'repo_id'
       AND t.table_type = 'BASE TABLE' AND c.table_name NOT IN ('repos', 'git_deleted_repos')
     ORDER BY c.table_name`,
  )
  return rows.map((r) => r.table_name)
}

/**
 * Deletes at most `limit` rows of the repository from `table`, in a transaction of its own (one
 * statement); returns how many went.
 */
export async function deleteRowsBatch(
  db: Database,
  { table, repoId, limit }: { table: string; repoId: number; limit: number },
): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM ${quoteIdent(table)} WHERE ctid = ANY (ARRAY(
       SELECT ctid FROM ${quoteIdent(table)} WHERE repo_id = $1 LIMIT $2))`,
    [repoId, limit],
  )
  return rowCount ?? 0
}

/** Takes the repository off the queue once nothing of it is left. */
export async function dequeueDeletedRepo(db: Executor, repoId: number): Promise<void> {
  await db.query('DELETE FROM git_deleted_repos WHERE repo_id = $1', [repoId])
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`
