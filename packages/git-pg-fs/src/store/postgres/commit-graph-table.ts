import type { GitObject } from '../../objects/git-object.ts'
import { parseCommit } from '../../objects/commit.ts'
import type { GraphCommit } from '../git-store.ts'
import type { Executor } from './database.ts'
import { oidBytes } from './oid-bytes.ts'

const CHUNK = 2000

/**
 * Every commit reachable from `heads`, from the `git_commit_graph` table (filled as commits are
 * written): history is walked without reading or parsing commit objects.
 *
 * @example
 * const commits = await readCommitGraph(executor, { repoId, heads: [head] })
 */
export async function readCommitGraph(
  executor: Executor,
  { repoId, heads }: { repoId: number; heads: readonly string[] },
): Promise<Map<string, GraphCommit>> {
  // One index range scan of the repository's graph, then the walk in memory: a recursive query
  // pays a join per generation (3,000 generations: ~25 ms against ~5 ms for the scan), and
  // nearly every commit of a repository is reachable from the heads callers ask about. Ids come
  // as hex text: node-postgres decodes a bytea[] column ten times slower than this.
  const { rows } = await executor.query<{
    oid: string
    tree: string
    parents: string | null
    commit_time: string
  }>(
    `SELECT encode(oid, 'hex') AS oid, encode(tree, 'hex') AS tree, commit_time,
       (SELECT string_agg(encode(p, 'hex'), '' ORDER BY n) FROM unnest(parents)
          WITH ORDINALITY AS x(p, n)) AS parents
     FROM git_commit_graph WHERE repo_id = $1`,
    [repoId],
  )
  const all = new Map<string, (typeof rows)[number]>()
  for (const r of rows) all.set(r.oid, r)
  const out = new Map<string, GraphCommit>()
  const stack = [...heads]
  while (stack.length > 0) {
    const oid = stack.pop()!
    const r = all.get(oid)
    if (!r || out.has(oid)) continue
    const parents: string[] = []
    for (let i = 0; r.parents && i < r.parents.length; i += 40)
      parents.push(r.parents.slice(i, i + 40))
    out.set(oid, { oid, tree: r.tree, parents, time: Number(r.commit_time) })
    for (const p of parents) if (!out.has(p)) stack.push(p)
  }
  return out
}

/** Adds `commits` (parsed here) to the commit graph; those already in it are skipped. */
export async function insertGraph(
  executor: Executor,
  { repoId, commits }: { repoId: number; commits: readonly GitObject[] },
): Promise<void> {
  for (let i = 0; i < commits.length; i += CHUNK) {
    const parsed = commits
      .slice(i, i + CHUNK)
      .map((o) => ({ oid: o.oid, c: parseCommit(o.content) }))
    await executor.query(
      `INSERT INTO git_commit_graph (repo_id, oid, tree, parents, commit_time)
       SELECT $1, oid, tree, ARRAY(SELECT decode(p, 'hex') FROM unnest(string_to_array(parents, ',')) p
                                   WHERE p <> ''), t
       FROM unnest($2::bytea[], $3::bytea[], $4::text[], $5::int8[]) AS x(oid, tree, parents, t)
       ON CONFLICT DO NOTHING`,
      [
        repoId,
        oidBytes(parsed.map((p) => p.oid)),
        oidBytes(parsed.map((p) => p.c.tree)),
        parsed.map((p) => p.c.parents.join(',')),
        parsed.map((p) => p.c.committer.timestamp),
      ],
    )
  }
}

/**
 * The commit graph rows of `oids` alone (those it has): a walk that stops at known commits reads
 * the few new ones without a scan of the repository's whole graph.
 *
 * @example
 * const rows = await readGraphRows(tx, { repoId, oids: [tip] })
 */
export async function readGraphRows(
  executor: Executor,
  { repoId, oids }: { repoId: number; oids: readonly string[] },
): Promise<GraphCommit[]> {
  const { rows } = await executor.query<{
    oid: string
    tree: string
    parents: string | null
    commit_time: string
  }>(
    `SELECT encode(g.oid, 'hex') AS oid, encode(g.tree, 'hex') AS tree, g.commit_time,
       (SELECT string_agg(encode(p, 'hex'), '' ORDER BY n) FROM unnest(g.parents)
          WITH ORDINALITY AS x(p, n)) AS parents
     FROM unnest($2::bytea[]) AS u(oid)
     JOIN git_commit_graph g ON g.repo_id = $1 AND g.oid = u.oid`,
    [repoId, oidBytes(oids)],
  )
  return rows.map((r) => {
    const parents: string[] = []
    for (let i = 0; r.parents && i < r.parents.length; i += 40)
      parents.push(r.parents.slice(i, i + 40))
    return { oid: r.oid, tree: r.tree, parents, time: Number(r.commit_time) }
  })
}
