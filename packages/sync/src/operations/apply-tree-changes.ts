import {
  entryType,
  makeObject,
  serializeTree,
  type GitObject,
  type ObjectReader,
  type TreeEntry,
} from '@gitpg/git-pg-fs'

/** Set `path` to a stored object (blob, or submodule commit) with `mode`; null deletes it. */
export interface TreeChange {
  path: string
  entry: { oid: string; mode: string } | null
}

interface Pending {
  parts: string[]
  entry: TreeChange['entry']
}

/**
 * Applies path changes to a tree without a work tree: only the directories along the changed
 * paths are read and rewritten; emptied directories disappear, as in git.
 * Returns the new root tree (null when empty) and the tree objects to store.
 */
export async function applyTreeChanges({
  reader,
  tree,
  changes,
}: {
  reader: ObjectReader
  tree: string | null
  changes: readonly TreeChange[]
}): Promise<{ tree: string | null; objects: GitObject[] }> {
  const objects: GitObject[] = []
  const root = await apply(
    reader,
    tree,
    changes.map((c) => ({ parts: c.path.split('/'), entry: c.entry })),
    objects,
  )
  return { tree: root, objects }
}

async function apply(
  reader: ObjectReader,
  tree: string | null,
  changes: Pending[],
  out: GitObject[],
): Promise<string | null> {
  const entries = new Map<string, TreeEntry>(
    (tree ? await reader.tree(tree) : []).map((e) => [e.name, e]),
  )
  const deeper = new Map<string, Pending[]>()
  for (const c of changes) {
    const [name, ...rest] = c.parts
    if (rest.length === 0) {
      if (c.entry === null) entries.delete(name)
      else entries.set(name, { name, ...c.entry, type: entryType(c.entry.mode) })
    } else {
      deeper.set(name, [...(deeper.get(name) ?? []), { parts: rest, entry: c.entry }])
    }
  }
  for (const [name, sub] of deeper) {
    const current = entries.get(name)
    const subtree = await apply(reader, current?.type === 'tree' ? current.oid : null, sub, out)
    if (subtree === null) entries.delete(name)
    else entries.set(name, { name, mode: '40000', oid: subtree, type: 'tree' })
  }
  if (entries.size === 0) return null
  const object = makeObject('tree', serializeTree([...entries.values()]))
  out.push(object)
  return object.oid
}
