import { BadObjectError } from '../errors.ts'
import type { GitObject } from '../objects/git-object.ts'
import { parseCommit, parseTag } from '../objects/commit.ts'
import type { ObjectChecker } from '../fsck/object-checker.ts'
import type { TreeEntryAt, TreeEntryVisitor } from '../fsck/fsck-tree.ts'
import type { GitStore } from '../store/git-store.ts'

/** Whether a tree entry is a submodule commit (mode `160000`, as `entryType` reads it). */
function isGitlink(content: Buffer, e: TreeEntryAt): boolean {
  if (e.nameAt - 1 - e.at !== 6) return false
  for (let k = 0; k < 6; k++) if (content[e.at + k] !== GITLINK_MODE[k]) return false
  return true
}

const GITLINK_MODE = Buffer.from('160000')

/**
 * The ids a commit or tag points at (a tree's are told by fsck's walk over its entries, see
 * `checkReceivedObjects`).
 */
function references(o: GitObject): string[] {
  try {
    if (o.type === 'commit') {
      const c = parseCommit(o.content)
      return [c.tree, ...c.parents]
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
  // a tree's entries are followed in fsck's one walk over them (submodule commits excluded:
  // they live in other repositories); a tree fsck refuses throws before its ids matter
  const visit: TreeEntryVisitor = (content, e) => {
    if (isGitlink(content, e)) return
    const id = content.toString('hex', e.nameEnd + 1, e.nameEnd + 21)
    if (!received.has(id)) outside.add(id)
  }
  for (const o of objects) {
    if (o.type === 'tree') {
      checker.check(o, visit)
      continue
    }
    checker.check(o)
    for (const ref of references(o)) if (!received.has(ref)) outside.add(ref)
  }
  if (outside.size === 0) return []
  const stored = await store.hasObjects(repoId, [...outside])
  return [...outside].filter((oid) => !stored.has(oid))
}
