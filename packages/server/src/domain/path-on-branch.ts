import type { Repository } from '@gitpg/git-pg-fs'

/**
 * What a path is at a commit: a `file` (a blob: regular file or symlink), a `dir`, `other` (a
 * submodule), `none`, or `underFile` when a directory on its way is a file (`blocker`).
 */
export type PathOnBranch =
  { kind: 'file' | 'dir' | 'other' | 'none' } | { kind: 'underFile'; blocker: string }

/**
 * Looks `path` up at commit `head` one directory at a time, through the object cache. Reads no
 * blob.
 *
 * @example
 * await pathOnBranch(repo, head, 'docs/intro.md') // { kind: 'file' }
 */
export async function pathOnBranch(
  repo: Repository,
  head: string | null,
  path: string,
): Promise<PathOnBranch> {
  if (!head) return { kind: 'none' }
  const parts = path.split('/')
  let tree = (await repo.reader.commit(head)).tree
  for (let i = 0; i < parts.length; i++) {
    const entry = (await repo.reader.tree(tree)).find((e) => e.name === parts[i])
    if (!entry) return { kind: 'none' }
    if (i === parts.length - 1)
      return { kind: entry.type === 'tree' ? 'dir' : entry.type === 'blob' ? 'file' : 'other' }
    if (entry.type !== 'tree')
      return { kind: 'underFile', blocker: parts.slice(0, i + 1).join('/') }
    tree = entry.oid
  }
  return { kind: 'none' }
}
