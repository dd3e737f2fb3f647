import { InvalidPathError, PathNotFoundError } from '../errors.ts'
import { EMPTY_TREE_OID, makeObject, type GitObject } from '../objects/git-object.ts'
import { serializeTree, type TreeEntry } from '../objects/tree.ts'
import type { ObjectReader } from './object-reader.ts'
import { splitPath } from './tree-walk.ts'
import type { FileChange } from './types.ts'

interface Node {
  files: Map<string, FileChange>
  dirs: Map<string, Node>
}

const newNode = (): Node => ({ files: new Map(), dirs: new Map() })

function plan(changes: readonly FileChange[]): Node {
  const root = newNode()
  for (const change of changes) {
    const parts = splitPath(change.path)
    if (parts.length === 0) throw new InvalidPathError(change.path, 'empty')
    let node = root
    for (const dir of parts.slice(0, -1)) {
      if (node.files.has(dir))
        throw new InvalidPathError(change.path, `${dir} is also changed as a file`)
      if (!node.dirs.has(dir)) node.dirs.set(dir, newNode())
      node = node.dirs.get(dir)!
    }
    const name = parts[parts.length - 1]
    if (node.dirs.has(name)) throw new InvalidPathError(change.path, 'also changed as a directory')
    if (node.files.has(name)) throw new InvalidPathError(change.path, 'changed twice')
    node.files.set(name, change)
  }
  return root
}

/**
 * Applies `changes` to `base` (a tree id, or null for none), reading and rewriting only the trees
 * on changed paths. Returns the new root tree id and every new object (blobs and trees).
 */
export async function buildTree({
  reader,
  base,
  changes,
}: {
  reader: ObjectReader
  base: string | null
  changes: readonly FileChange[]
}): Promise<{ tree: string; objects: GitObject[] }> {
  const objects: GitObject[] = []

  async function apply(treeOid: string | null, node: Node, prefix: string): Promise<string | null> {
    const entries = new Map<string, TreeEntry>(
      (treeOid ? await reader.tree(treeOid) : []).map((e) => [e.name, e]),
    )
    for (const [name, change] of node.files) {
      const existing = entries.get(name)
      if (existing?.type === 'tree') throw new InvalidPathError(change.path, 'is a directory')
      if (change.action === 'delete') {
        if (!existing) throw new PathNotFoundError(change.path)
        entries.delete(name)
      } else if (change.action === 'mode') {
        if (!existing || existing.type !== 'blob') throw new PathNotFoundError(change.path)
        entries.set(name, { ...existing, mode: change.mode })
      } else {
        const blob = makeObject('blob', change.content)
        objects.push(blob)
        const keep = existing?.type === 'blob' ? existing.mode : '100644'
        entries.set(name, { mode: change.mode ?? keep, name, oid: blob.oid, type: 'blob' })
      }
    }
    const subdirs = await Promise.all(
      [...node.dirs].map(async ([name, sub]) => {
        const path = prefix ? `${prefix}/${name}` : name
        const existing = entries.get(name)
        if (existing && existing.type !== 'tree') throw new InvalidPathError(path, 'is a file')
        return [name, await apply(existing?.oid ?? null, sub, path)] as const
      }),
    )
    for (const [name, oid] of subdirs) {
      if (oid === null) entries.delete(name)
      else entries.set(name, { mode: '40000', name, oid, type: 'tree' })
    }
    if (entries.size === 0) return null
    const tree = makeObject('tree', serializeTree([...entries.values()]))
    objects.push(tree)
    return tree.oid
  }

  const tree = (await apply(base, plan(changes), '')) ?? EMPTY_TREE_OID
  if (tree === EMPTY_TREE_OID) objects.push(makeObject('tree', Buffer.alloc(0)))
  return { tree, objects }
}
