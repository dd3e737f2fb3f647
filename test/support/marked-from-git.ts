import type { Marked, ObjectType, ReachableObject } from '@gitpg/git-pg-fs'
import { git, gitOutput, lines } from './git-cli.ts'

/**
 * What a walk from every ref of the on-disk repository `dir` reaches, as maintenance's walk
 * gives it: `git rev-list --objects --all` in git's order (newest commits first; the line's index
 * is the rank), each object with the path it was first met at, and its type from
 * `git cat-file --batch-check`.
 *
 * @example
 * const marked = await markedFromGit(dir)
 * await repack({ store, repoId, marked, options: { prune: 'never' } })
 */
export async function markedFromGit(dir: string): Promise<Marked> {
  const listed = (await git(dir, ['rev-list', '--objects', '--all'])).toString('latin1')
  const entries = lines(listed).map((l) => ({ oid: l.slice(0, 40), path: l.slice(41) }))
  const checked = await gitOutput(dir, ['cat-file', '--batch-check'], {
    input: entries.map((e) => `${e.oid}\n`).join(''),
  })
  const types = new Map(lines(checked).map((l) => [l.slice(0, 40), l.split(' ')[1] as ObjectType]))
  const reachable = new Map<string, ReachableObject>()
  entries.forEach(({ oid, path }, rank) => {
    if (!reachable.has(oid)) reachable.set(oid, { oid, type: types.get(oid)!, path, rank })
  })
  const refs = await gitOutput(dir, ['for-each-ref', '--format=%(objectname) %(refname)'])
  const tips = new Map(lines(refs).map((l) => [l.slice(41), l.slice(0, 40)]))
  return { reachable, tips }
}
