import type { ObjectReader } from '@gitpg/git-pg-fs'

/**
 * Commits to announce as `have` lines: the heads and their ancestors, newest first, up to
 * `limit`. The remote finds the common ones among them and leaves their history out of the pack.
 */
export async function localHaves({
  reader,
  heads,
  shallow = [],
  limit = 256,
}: {
  reader: ObjectReader
  heads: readonly string[]
  shallow?: readonly string[]
  limit?: number
}): Promise<string[]> {
  const out: string[] = []
  const seen = new Set<string>()
  const boundary = new Set(shallow)
  let level = heads.filter((h) => !seen.has(h) && seen.add(h))
  while (level.length > 0 && out.length < limit) {
    const commits = await reader.commits(level)
    const next: string[] = []
    for (const oid of level) {
      if (out.length >= limit) break
      out.push(oid)
      if (boundary.has(oid)) continue
      for (const p of commits.get(oid)!.parents)
        if (!seen.has(p)) {
          seen.add(p)
          next.push(p)
        }
    }
    const present = await reader.store.hasObjects(reader.repoId, next)
    level = next.filter((p) => present.has(p))
  }
  return out
}
