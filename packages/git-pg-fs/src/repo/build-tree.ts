import {
  BadObjectError,
  InvalidPathError,
  PathConflictError,
  PathNotFoundError,
} from '../errors.ts'
import { EMPTY_TREE_OID, makeObject, type GitObject } from '../objects/git-object.ts'
import { serializeTree, type TreeEntry } from '../objects/tree.ts'
import type { ObjectReader } from './object-reader.ts'
import { splitPath } from './tree-walk.ts'
import type { FileChange } from './types.ts'

interface Node {
  path: string
  files: Map<string, FileChange>
  dirs: Map<string, Node>
  /** the tree this directory has in the base, null when it has none */
  base: string | null
  /** the directory's new tree, null when it ends empty */
  result: string | null
}

const newNode = (path: string): Node => ({
  path,
  files: new Map(),
  dirs: new Map(),
  base: null,
  result: null,
})

/** The changed directories as a tree of nodes. A name may be both a file change and a directory. */
function plan(changes: readonly FileChange[]): Node {
  const root = newNode('')
  for (const change of changes) {
    const parts = splitPath(change.path)
    if (parts.length === 0) throw new InvalidPathError(change.path, 'empty')
    let node = root
    for (let i = 0; i < parts.length - 1; i++) {
      const dir = parts[i]
      let sub = node.dirs.get(dir)
      if (!sub) node.dirs.set(dir, (sub = newNode(parts.slice(0, i + 1).join('/'))))
      node = sub
    }
    const name = parts[parts.length - 1]
    if (node.files.has(name)) throw new InvalidPathError(change.path, 'changed twice')
    node.files.set(name, change)
  }
  return root
}

/** The entries of each node's base tree, read one batch per directory level. */
async function readBases(reader: ObjectReader, root: Node): Promise<Map<Node, TreeEntry[]>> {
  const entries = new Map<Node, TreeEntry[]>()
  let level = [root]
  while (level.length > 0) {
    const objects = await reader.readMany(level.flatMap((n) => (n.base ? [n.base] : [])))
    const next: Node[] = []
    for (const node of level) {
      let list: TreeEntry[] = []
      if (node.base) {
        const o = objects.get(node.base)
        if (!o || o.type !== 'tree') throw new BadObjectError(`${node.base} is not a tree`)
        list = reader.treeEntries(o)
      }
      entries.set(node, list)
      const byName = new Map(list.map((e) => [e.name, e]))
      for (const [name, sub] of node.dirs) {
        const e = byName.get(name)
        sub.base = e?.type === 'tree' ? e.oid : null
        next.push(sub)
      }
    }
    level = next
  }
  return entries
}

/** Whether every change under `node` is a deletion that may find nothing (`ifPresent`). */
function onlyIfPresentDeletes(node: Node): boolean {
  const stack = [node]
  for (let n = stack.pop(); n; n = stack.pop()) {
    for (const change of n.files.values())
      if (change.action !== 'delete' || !change.ifPresent) return false
    stack.push(...n.dirs.values())
  }
  return true
}

const join = (dir: string, name: string) => (dir ? `${dir}/${name}` : name)

/**
 * Applies `changes` to `base` (a tree id, or null for none), reading and rewriting only the trees
 * on changed paths, without recursion (a path may be thousands of directories deep). Returns the
 * new root tree id and every new object (blobs and trees).
 *
 * As in a git work tree, a file and a directory may swap places in one change set: deleting file
 * `a` and writing `a/b` makes `a` a directory; writing file `a` where every file under directory
 * `a` is deleted makes `a` a file. Deletions with `ifPresent` under a path that is a file find
 * nothing and are dropped. Any other clash of a file with a directory is `PATH_CONFLICT`, and
 * nothing is built.
 *
 * @example
 * const { tree } = await buildTree({ reader, base, changes: [{ path: 'a/b', action: 'delete' }] })
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
  const root = plan(changes)
  root.base = base
  const bases = await readBases(reader, root)
  // children come after their parents in `bases`' order: built in reverse, each child is done first
  for (const node of [...bases.keys()].reverse()) {
    const entries = new Map(bases.get(node)!.map((e) => [e.name, e]))
    for (const [name, change] of node.files) {
      if (change.action !== 'delete') continue
      const existing = entries.get(name)
      if (existing?.type === 'tree') {
        if (change.ifPresent) continue
        throw new PathConflictError(change.path, 'is a directory')
      }
      if (existing) entries.delete(name)
      else if (!change.ifPresent) throw new PathNotFoundError(change.path)
    }
    for (const [name, sub] of node.dirs) {
      const existing = entries.get(name)
      if (existing && existing.type !== 'tree') {
        // deletions under what is now a file find nothing there: they are dropped
        if (onlyIfPresentDeletes(sub)) continue
        throw new PathConflictError(join(node.path, name), 'is a file')
      }
      if (sub.result === null) entries.delete(name)
      else entries.set(name, { mode: '40000', name, oid: sub.result, type: 'tree' })
    }
    for (const [name, change] of node.files) {
      if (change.action === 'delete') continue
      const existing = entries.get(name)
      if (existing?.type === 'tree') throw new PathConflictError(change.path, 'is a directory')
      if (change.action === 'mode') {
        if (!existing || existing.type !== 'blob') throw new PathNotFoundError(change.path)
        entries.set(name, { ...existing, mode: change.mode })
      } else {
        const blob = makeObject('blob', change.content)
        objects.push(blob)
        const keep = existing?.type === 'blob' ? existing.mode : '100644'
        entries.set(name, { mode: change.mode ?? keep, name, oid: blob.oid, type: 'blob' })
      }
    }
    if (entries.size === 0) continue
    const tree = makeObject('tree', serializeTree([...entries.values()]))
    objects.push(tree)
    node.result = tree.oid
  }
  const tree = root.result ?? EMPTY_TREE_OID
  if (tree === EMPTY_TREE_OID) objects.push(makeObject('tree', Buffer.alloc(0)))
  return { tree, objects }
}
