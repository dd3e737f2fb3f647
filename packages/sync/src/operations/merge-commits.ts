import {
  EMPTY_TREE_OID,
  makeObject,
  serializeCommit,
  type GitObject,
  type GitStore,
  type Repository,
  type Signature,
} from '@gitpg/git-pg-fs'
import { SyncError } from '../errors.ts'
import { applyTreeChanges, type TreeChange } from './apply-tree-changes.ts'

/** The best common ancestor: a common commit that no other common commit descends from. */
async function mergeBase(
  store: GitStore,
  repoId: number,
  ours: string,
  theirs: string,
): Promise<string | null> {
  const a = await store.readCommitGraph(repoId, [ours])
  const b = await store.readCommitGraph(repoId, [theirs])
  const common = [...a.values()].filter((c) => b.has(c.oid))
  const parentsOfCommon = new Set(common.flatMap((c) => c.parents))
  const best = common.filter((c) => !parentsOfCommon.has(c.oid)).sort((x, y) => y.time - x.time)
  return best[0]?.oid ?? null
}

const isInside = (path: string, dir: string) => path.startsWith(`${dir}/`)

/**
 * A three-way merge of two commits at the file level: changes from the merge base on only one
 * side are taken; a path changed differently on both sides (or a file on one side where the
 * other has a directory) is a conflict. With conflicts, `MERGE_CONFLICT` listing every path and
 * nothing is written; otherwise the merge commit (parents: ours, theirs) and its new trees.
 */
export async function mergeCommits({
  repo,
  ours,
  theirs,
  message,
  author,
}: {
  /** a repository over the store (or transaction) that holds both commits */
  repo: Repository
  ours: string
  theirs: string
  message: string
  author: Signature
}): Promise<{ oid: string; objects: GitObject[] }> {
  const base = await mergeBase(repo.store, repo.repoId, ours, theirs)
  const [mine, other] = await Promise.all([
    repo.diff({ from: base, to: ours }),
    repo.diff({ from: base, to: theirs }),
  ])
  const mineByPath = new Map(mine.map((d) => [d.path, d]))
  const mineDeleted = new Set(mine.filter((d) => d.newOid === null).map((d) => d.path))
  const minePaths = [...mineByPath.keys()]
  const conflicts = new Set<string>()
  const changes: TreeChange[] = []
  for (const d of other) {
    const m = mineByPath.get(d.path)
    if (m) {
      if (m.newOid !== d.newOid || m.newMode !== d.newMode) conflicts.add(d.path)
      continue
    }
    const clash = minePaths.find(
      (p) => !mineDeleted.has(p) && (isInside(p, d.path) || isInside(d.path, p)),
    )
    if (clash && d.newOid !== null) {
      conflicts.add(d.path)
      conflicts.add(clash)
      continue
    }
    changes.push({
      path: d.path,
      entry: d.newOid === null ? null : { oid: d.newOid, mode: d.newMode! },
    })
  }
  if (conflicts.size > 0)
    throw new SyncError(
      'MERGE_CONFLICT',
      `the merge conflicts on ${conflicts.size} path(s): ${[...conflicts].sort().slice(0, 5).join(', ')}`,
      { paths: [...conflicts].sort(), ours, theirs },
    )
  const ourCommit = await repo.reader.commit(ours)
  const { tree, objects } = await applyTreeChanges({
    reader: repo.reader,
    tree: ourCommit.tree,
    changes,
  })
  const emptyTree = tree === null ? makeObject('tree', Buffer.alloc(0)) : null
  if (emptyTree) objects.push(emptyTree)
  const commit = makeObject(
    'commit',
    serializeCommit({
      tree: tree ?? EMPTY_TREE_OID,
      parents: [ours, theirs],
      author,
      committer: author,
      message: message.endsWith('\n') ? message : `${message}\n`,
    }),
  )
  return { oid: commit.oid, objects: [...objects, commit] }
}
