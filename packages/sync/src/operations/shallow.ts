import type { GitStore } from '@gitpg/git-pg-fs'

/** The gitdir file git keeps a shallow repository's boundary commits in. */
export const SHALLOW_FILE = 'shallow'

/** The repository's shallow commits (empty for a complete history). */
export async function readShallow(store: GitStore, repoId: number): Promise<string[]> {
  const file = await store.readFile(repoId, SHALLOW_FILE)
  if (!file) return []
  return file.content
    .toString('latin1')
    .split('\n')
    .filter((l) => /^[0-9a-f]{40}$/.test(l))
}

/** Writes the new boundary after a fetch: `current` plus `shallow`, minus `unshallow`. */
export async function updateShallow({
  store,
  repoId,
  current,
  shallow,
  unshallow,
}: {
  store: GitStore
  repoId: number
  current: readonly string[]
  shallow: readonly string[]
  unshallow: readonly string[]
}): Promise<string[]> {
  const gone = new Set(unshallow)
  const next = [...new Set([...current, ...shallow])].filter((o) => !gone.has(o)).sort()
  const same = next.length === current.length && next.every((o) => current.includes(o))
  if (same) return next
  if (next.length === 0) await store.deleteFile(repoId, SHALLOW_FILE)
  else await store.writeFile(repoId, SHALLOW_FILE, Buffer.from(next.map((o) => `${o}\n`).join('')))
  return next
}
