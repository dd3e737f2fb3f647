import { BadObjectError } from '../errors.ts'
import type { GitObject } from '../objects/git-object.ts'
import { parseCommit, parseTag } from '../objects/commit.ts'
import { parseTree } from '../objects/tree.ts'
import type { ObjectChecker } from '../fsck/object-checker.ts'
import type { GitStore } from '../store/git-store.ts'

/** The ids an object points at (submodule commits excluded: they live in other repositories). */
function references(o: GitObject): string[] {
  try {
    if (o.type === 'commit') {
      const c = parseCommit(o.content)
      return [c.tree, ...c.parents]
    }
    if (o.type === 'tree') {
      return parseTree(o.content).flatMap((e) => (e.type === 'commit' ? [] : [e.oid]))
    }
    if (o.type === 'tag') return [parseTag(o.content).object]
    return []
  } catch (err) {
    throw new BadObjectError(`${o.type} ${o.oid}: ${(err as Error).message}`)
  }
}

/**
 * Checks received objects the way git's receive-pack does before it moves refs: each object must
 * pass git's fsck rules (`transfer.fsckObjects`, strict: `.git` and `..` names, modes, order,
 * dates, `.gitmodules` content, ...), and everything they point at must be received too or
 * already stored (the stored objects being complete already). Throws `BadObjectError` with git's
 * line (`object <oid>: hasDotgit: contains '.git'`) on an object git would reject;
 * returns the ids pointed at but found nowhere (empty when the push is connected).
 *
 * `checker` is the push's one checker for all its batches; the caller calls its `finish` after the
 * last batch is written, since a `.gitmodules` blob may come in a later batch than its tree.
 */
export async function checkReceivedObjects({
  store,
  repoId,
  objects,
  checker,
}: {
  store: GitStore
  repoId: number
  objects: readonly GitObject[]
  /** the checker of the whole push; its caller finishes it */
  checker: ObjectChecker
}): Promise<string[]> {
  const received = new Set(objects.map((o) => o.oid))
  const outside = new Set<string>()
  for (const o of objects) {
    checker.check(o)
    for (const ref of references(o)) if (!received.has(ref)) outside.add(ref)
  }
  if (outside.size === 0) return []
  const stored = await store.hasObjects(repoId, [...outside])
  return [...outside].filter((oid) => !stored.has(oid))
}
