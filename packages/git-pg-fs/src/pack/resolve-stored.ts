import { GitPgError, ObjectNotFoundError } from '../errors.ts'
import type { StoredObject } from '../store/git-store.ts'
import { applyDelta } from './apply-delta.ts'
import { inflateStream } from './pack-entry.ts'

/**
 * Resolves a whole set of stored objects (every tree of a repository, say) as git's index-pack
 * does: depth first from each whole object through the deltas built on it, so that each object is
 * inflated and rebuilt exactly once, and memory holds the stored bytes and the contents along one
 * chain (at most 50 deep). Calls `each` with every object's id and content; throws when a delta's
 * base is not in the set.
 *
 * @example
 * resolveStored(trees, (oid, content) => graph.addTree(Buffer.from(oid, 'hex'), content))
 */
export function resolveStored(
  objects: readonly StoredObject[],
  each: (oid: string, content: Buffer) => void,
): void {
  const children = new Map<string, StoredObject[]>()
  const stack: { o: StoredObject; base: Buffer | null }[] = []
  for (const o of objects) {
    const base = o.packed.base
    if (base === null) stack.push({ o, base: null })
    else {
      const list = children.get(base)
      if (list) list.push(o)
      else children.set(base, [o])
    }
  }
  let resolved = 0
  while (stack.length > 0) {
    const { o, base } = stack.pop()!
    const content = base
      ? applyDelta(inflateStream(o.packed.data), base)
      : inflateStream(o.packed.data, o.size)
    if (content.length !== o.size)
      throw new GitPgError('CORRUPT_OBJECT', `object ${o.oid} is corrupt`, { oid: o.oid })
    each(o.oid, content)
    resolved++
    for (const child of children.get(o.oid) ?? []) stack.push({ o: child, base: content })
    children.delete(o.oid)
  }
  if (resolved < objects.length) throw new ObjectNotFoundError([...children.keys()][0])
}
