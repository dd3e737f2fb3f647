import { BadObjectError, ObjectNotFoundError } from '../errors.ts'
import { entryType, type TreeEntry } from '../objects/tree.ts'
import { decodePath, encodePath } from '../paths/path-bytes.ts'
import type { ObjectReader } from './object-reader.ts'

export const ROOT: TreeEntry = { mode: '40000', name: '', oid: '', type: 'tree' }

/**
 * Looks up many paths under many root trees at once, one batched read per directory level.
 * `queries` are [rootTreeOid, path components]; the result has the entry at each query's path,
 * or null when absent (or when a component on the way is not a directory).
 */
export async function lookupPaths(
  reader: ObjectReader,
  queries: readonly { root: string; parts: readonly string[] }[],
): Promise<(TreeEntry | null)[]> {
  const result: (TreeEntry | null)[] = queries.map((q) =>
    q.parts.length === 0 ? { ...ROOT, oid: q.root } : null,
  )
  let active = queries
    .map((q, i) => ({ i, tree: q.root, depth: 0 }))
    .filter((a) => queries[a.i].parts.length > 0)
  // names as bytes, and each (tree, name) looked up once: many roots share their subtrees
  const names = new Map<string, Buffer>()
  const nameBytes = (name: string) => {
    let b = names.get(name)
    if (!b) names.set(name, (b = encodePath(name)))
    return b
  }
  while (active.length > 0) {
    const trees = await reader.readMany(new Set(active.map((a) => a.tree)))
    const found = new Map<string, TreeEntry | null>()
    const next: typeof active = []
    for (const a of active) {
      const parts = queries[a.i].parts
      const name = parts[a.depth]
      const key = `${a.tree}/${name}`
      let entry = found.get(key)
      if (entry === undefined) {
        const tree = trees.get(a.tree)
        if (!tree) throw new ObjectNotFoundError(a.tree)
        if (tree.type !== 'tree')
          throw new BadObjectError(`${a.tree} is a ${tree.type}, not a tree`)
        entry = findEntry(tree.content, nameBytes(name))
        found.set(key, entry)
      }
      if (!entry) continue
      if (a.depth === parts.length - 1) result[a.i] = entry
      else if (entry.type === 'tree') next.push({ i: a.i, tree: entry.oid, depth: a.depth + 1 })
    }
    active = next
  }
  return result
}

/** The entry called `name` in a raw tree object, found without parsing the other entries. */
export function findEntry(content: Buffer, name: Buffer): TreeEntry | null {
  let i = 0
  while (i < content.length) {
    // modes are 5 or 6 digits: look for the space there before searching
    const space = content[i + 5] === 0x20 ? i + 5 : content.indexOf(0x20, i)
    const nul = content.indexOf(0, space)
    if (space < 0 || nul < 0 || nul + 21 > content.length)
      throw new BadObjectError('malformed tree')
    if (
      nul - space - 1 === name.length &&
      content.compare(name, 0, name.length, space + 1, nul) === 0
    ) {
      const mode = content.toString('latin1', i, space)
      return {
        mode,
        name: decodePath(name),
        oid: content.toString('hex', nul + 1, nul + 21),
        type: entryType(mode),
      }
    }
    i = nul + 21
  }
  return null
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p.length > 0)
}

/** Every entry below `tree`, recursively, as [path, entry], reading one level per batch. */
export async function walkTree(
  reader: ObjectReader,
  tree: string,
  prefix: string,
): Promise<{ path: string; entry: TreeEntry }[]> {
  const out: { path: string; entry: TreeEntry }[] = []
  let level = [{ tree, prefix }]
  while (level.length > 0) {
    const trees = await reader.trees(new Set(level.map((l) => l.tree)))
    const next: typeof level = []
    for (const l of level) {
      for (const e of trees.get(l.tree)!) {
        const path = l.prefix ? `${l.prefix}/${e.name}` : e.name
        if (e.type === 'tree') next.push({ tree: e.oid, prefix: path })
        else out.push({ path, entry: e })
      }
    }
    level = next
  }
  return byPathBytes(out)
}

/** Sorts records by their paths' bytes (git's order), encoding each path once. */
export function byPathBytes<T extends { path: string }>(items: T[]): T[] {
  return items
    .map((item) => ({ item, key: encodePath(item.path) }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map(({ item }) => item)
}
