import { MissingObjectsError } from '../errors.ts'
import { readShallowCommits } from '../protocol/advertise-refs.ts'
import type { GitStore } from '../store/git-store.ts'
import { listObjects } from './reachable.ts'

const CHECK_BATCH = 10_000
const TREE_MISSING = /^tree ([0-9a-f]{40}) is missing/

/**
 * The objects that pointing refs at `tips` needs but the repository lacks, like git's
 * `check_connected` (`rev-list --objects <tips> --not --all`): walks from the tips, stopping at
 * commits reachable from the existing refs and at the repository's shallow boundary, and checks
 * every commit, tree and blob the walk meets is stored. Empty when the tips are connected. Run it
 * in the transaction that moves the refs, after writing new objects, so that what it saw is what
 * the refs point at.
 *
 * @example
 * const missing = await findMissingObjects({ store: tx, repoId, tips: [newHead] })
 */
export async function findMissingObjects({
  store,
  repoId,
  tips,
}: {
  store: GitStore
  repoId: number
  tips: readonly string[]
}): Promise<string[]> {
  if (tips.length === 0) return []
  const unique = [...new Set(tips)]
  const present = await store.hasObjects(repoId, unique)
  const absent = unique.filter((t) => !present.has(t))
  if (absent.length > 0) return absent
  const refs = await store.listRefs(repoId, 'refs/')
  const haves = [...new Set(refs.flatMap((r) => (r.oid ? [r.oid] : [])))]
  const shallow = await readShallowCommits(store, repoId)
  let listing
  try {
    listing = await listObjects({ store, repoId, wants: unique, haves, clientShallow: shallow })
  } catch (err) {
    const m = TREE_MISSING.exec((err as Error).message)
    if (m) return [m[1]]
    throw err
  }
  // commits whose parents are not stored (the boundary of a shallow history excepted)
  // (new commits only: a commit reachable from an existing ref is as complete as it was)
  const fresh = new Set(listing.oids.slice(0, listing.commits))
  const cut = listing.shallow.filter((c) => fresh.has(c))
  if (cut.length > 0) {
    const graph = await store.readCommitGraph(repoId, cut)
    const parents = cut.flatMap((c) => graph.get(c)?.parents ?? [])
    const stored = await store.hasObjects(repoId, parents)
    const missing = parents.filter((p) => !stored.has(p))
    if (missing.length > 0) return missing
  }
  for (let i = 0; i < listing.oids.length; i += CHECK_BATCH) {
    const batch = listing.oids.slice(i, i + CHECK_BATCH)
    const stored = await store.hasObjects(repoId, batch)
    const missing = batch.filter((o) => !stored.has(o))
    if (missing.length > 0) return missing
  }
  return []
}

/**
 * Throws `MissingObjectsError` unless every object `tips` need is stored (see
 * `findMissingObjects`).
 */
export async function checkConnected(options: {
  store: GitStore
  repoId: number
  tips: readonly string[]
}): Promise<void> {
  const missing = await findMissingObjects(options)
  if (missing.length > 0) throw new MissingObjectsError(missing)
}
