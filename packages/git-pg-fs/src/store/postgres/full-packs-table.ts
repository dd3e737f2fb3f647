import type { FullPackRecord } from '../git-store.ts'
import type { Executor } from './database.ts'

/** The repository's full-pack record, or null. */
export async function readFullPack(db: Executor, repoId: number): Promise<FullPackRecord | null> {
  const { rows } = await db.query<{ wants: Buffer; objects: number }>(
    'SELECT wants, objects FROM git_full_packs WHERE repo_id = $1',
    [repoId],
  )
  return rows[0] ?? null
}

/** Records (or replaces) the repository's full-pack record. */
export async function recordFullPack(
  db: Executor,
  { repoId, wants, objects }: FullPackRecord & { repoId: number },
): Promise<void> {
  await db.query(
    `INSERT INTO git_full_packs (repo_id, wants, objects) VALUES ($1, $2, $3)
     ON CONFLICT (repo_id) DO UPDATE
     SET wants = EXCLUDED.wants, objects = EXCLUDED.objects, recorded_at = now()`,
    [repoId, wants, objects],
  )
}

/** Forgets the record: objects are going, so a count no longer names a set of objects. */
export async function forgetFullPack(db: Executor, repoId: number): Promise<void> {
  await db.query('DELETE FROM git_full_packs WHERE repo_id = $1', [repoId])
}
