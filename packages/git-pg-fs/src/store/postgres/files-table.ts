import type { Executor } from './database.ts'

/**
 * The `git_files` table: a repository's few other gitdir files (config, shallow, description).
 *
 * @example
 * await writeFile(executor, { repoId, path: 'config', content })
 */
export async function readFile(
  executor: Executor,
  { repoId, path }: { repoId: number; path: string },
): Promise<{ content: Buffer; updatedAt: Date } | null> {
  const { rows } = await executor.query<{ content: Buffer; updated_at: Date }>(
    'SELECT content, updated_at FROM git_files WHERE repo_id = $1 AND path = $2',
    [repoId, path],
  )
  return rows[0] ? { content: rows[0].content, updatedAt: rows[0].updated_at } : null
}

export async function writeFile(
  executor: Executor,
  { repoId, path, content }: { repoId: number; path: string; content: Buffer },
): Promise<void> {
  await executor.query(
    `INSERT INTO git_files (repo_id, path, content) VALUES ($1, $2, $3)
     ON CONFLICT (repo_id, path) DO UPDATE SET content = EXCLUDED.content, updated_at = clock_timestamp()`,
    [repoId, path, content],
  )
}

export async function deleteFile(
  executor: Executor,
  { repoId, path }: { repoId: number; path: string },
): Promise<boolean> {
  const res = await executor.query('DELETE FROM git_files WHERE repo_id = $1 AND path = $2', [
    repoId,
    path,
  ])
  return (res.rowCount ?? 0) > 0
}

export async function listFiles(executor: Executor, repoId: number): Promise<string[]> {
  const { rows } = await executor.query<{ path: string }>(
    'SELECT path FROM git_files WHERE repo_id = $1 ORDER BY path',
    [repoId],
  )
  return rows.map((r) => r.path)
}
