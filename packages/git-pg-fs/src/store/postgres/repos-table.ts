import type { RemoteConfig, RepoRecord } from '../git-store.ts'

/** A `repos` row, with its default branch's ref when read by `SELECT_REPOS`. */
export interface RepoRow {
  repo_id: number
  name: string
  default_branch: string
  remote: RemoteConfig | null
  created_at: Date
  /** from `SELECT_REPOS`: the default branch's ref */
  head_oid?: string | null
  head_target?: string | null
}

/** The record callers see of a `repos` row. */
export function toRepo(row: RepoRow): RepoRecord {
  return {
    repoId: row.repo_id,
    name: row.name,
    defaultBranch: row.default_branch,
    // a symbolic default branch is left for `readRef` to follow
    defaultHead: row.head_oid === undefined || row.head_target ? undefined : row.head_oid,
    remote: row.remote,
    createdAt: row.created_at,
  }
}

/**
 * Repositories by name, each with its default branch's ref: one query opens a project. Columns
 * are named (not `r.*`): a prepared statement whose result gains a column fails.
 */
export const SELECT_REPOS = `SELECT r.repo_id, r.name, r.default_branch, r.remote, r.created_at,
    h.oid AS head_oid, h.target AS head_target FROM repos r
  LEFT JOIN git_refs h ON h.repo_id = r.repo_id AND h.name = 'refs/heads/' || r.default_branch`
