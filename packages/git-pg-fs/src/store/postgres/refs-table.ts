import { RefConflictError } from '../../errors.ts'
import type { RefRecord, RefUpdate } from '../git-store.ts'
import pg from 'pg'
import type { QueryResult } from '../executor.ts'
import type { Executor } from './database.ts'
import { queryStatements } from './query-statements.ts'

export /** A ref change as applied: its value before and after (null: absent). */
interface RefChange {
  name: string
  from: string | null
  to: string | null
  /** set when a symbolic ref was pointed at `target` */
  target?: string
}

/** A repository's refs under `prefix`, by name in byte order. */
export async function listRefs(
  executor: Executor,
  { repoId, prefix }: { repoId: number; prefix: string },
): Promise<RefRecord[]> {
  const { rows } = await executor.query<RefRecord>(
    `SELECT name, oid, target FROM git_refs WHERE repo_id = $1 AND starts_with(name, $2)
     ORDER BY name COLLATE "C"`,
    [repoId, prefix],
  )
  return rows
}

/**
 * The statements that read a ref and hold it against other writers until the transaction ends
 * (see `GitStore`), for `queryStatements`; `lockedRef` reads the answer of the last.
 */
export function lockRefStatements({ repoId, name }: { repoId: number; name: string }): string[] {
  if (!Number.isSafeInteger(repoId)) throw new TypeError(`bad repository id ${repoId}`)
  // the advisory lock also covers a ref that has no row yet (a branch's first commit); the row
  // lock makes compare-and-swap writers that do not take the advisory lock (pushes) wait too.
  // The row is read by a statement of its own, after the lock: a row another writer inserted
  // while this one waited is seen. The key is the text 'gitpg-ref:<repoId>:<name>'.
  return [
    `SELECT pg_advisory_xact_lock(hashtextextended(${pg.escapeLiteral(`gitpg-ref:${repoId}:${name}`)}, 0))`,
    `SELECT name, oid, target FROM git_refs WHERE repo_id = ${repoId} AND name = ${pg.escapeLiteral(name)} FOR UPDATE`,
  ]
}

/** The ref read by the last of `lockRefStatements`, from its result. */
export function lockedRef(result: QueryResult): RefRecord | null {
  return (result.rows[0] as RefRecord | undefined) ?? null
}

/** Reads a ref and holds it against other writers until the transaction ends (see `GitStore`). */
export async function lockRef(
  executor: Executor,
  ref: { repoId: number; name: string },
): Promise<RefRecord | null> {
  const results = await queryStatements(executor, lockRefStatements(ref))
  return lockedRef(results[results.length - 1])
}

/**
 * Applies one ref update by compare-and-swap (see `RefUpdate`); throws `RefConflictError`, with
 * the ref's actual value from `readRef`, when it did not hold what was expected.
 *
 * @example
 * await updateRef(tx, { repoId, update: { name, expected: null, oid }, readRef })
 */
export async function updateRef(
  executor: Executor,
  {
    repoId,
    update: u,
    readRef,
  }: { repoId: number; update: RefUpdate; readRef: (name: string) => Promise<RefRecord | null> },
): Promise<RefChange> {
  const q = executor
  const conflict = async () => {
    const actual = await readRef(u.name)
    return new RefConflictError(u.name, u.expected ?? null, actual?.oid ?? actual?.target ?? null)
  }
  if (u.target !== undefined) {
    await q.query(
      `INSERT INTO git_refs (repo_id, name, target) VALUES ($1, $2, $3)
       ON CONFLICT (repo_id, name) DO UPDATE SET target = EXCLUDED.target, oid = NULL`,
      [repoId, u.name, u.target],
    )
    return { name: u.name, from: null, to: null, target: u.target }
  }
  if (u.expected === undefined) {
    const { rows } = await q.query<{ oid: string | null }>(
      'SELECT oid FROM git_refs WHERE repo_id = $1 AND name = $2 FOR UPDATE',
      [repoId, u.name],
    )
    if (u.oid === null) {
      await q.query('DELETE FROM git_refs WHERE repo_id = $1 AND name = $2', [repoId, u.name])
    } else {
      await q.query(
        `INSERT INTO git_refs (repo_id, name, oid) VALUES ($1, $2, $3)
         ON CONFLICT (repo_id, name) DO UPDATE SET oid = EXCLUDED.oid, target = NULL`,
        [repoId, u.name, u.oid],
      )
    }
    return { name: u.name, from: rows[0]?.oid ?? null, to: u.oid }
  }
  let res
  if (u.oid === null) {
    if (u.expected === null) {
      if (await readRef(u.name)) throw await conflict()
      return { name: u.name, from: null, to: null }
    }
    res = await q.query('DELETE FROM git_refs WHERE repo_id = $1 AND name = $2 AND oid = $3', [
      repoId,
      u.name,
      u.expected,
    ])
  } else if (u.expected === null) {
    res = await q.query(
      `INSERT INTO git_refs (repo_id, name, oid) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [repoId, u.name, u.oid],
    )
  } else {
    res = await q.query(
      'UPDATE git_refs SET oid = $4 WHERE repo_id = $1 AND name = $2 AND oid = $3',
      [repoId, u.name, u.expected, u.oid],
    )
  }
  if (res.rowCount === 0) throw await conflict()
  return { name: u.name, from: u.expected, to: u.oid }
}
