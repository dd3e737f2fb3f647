import { PathNotFoundError, type Repository } from '@gitpg/git-pg-fs'
import type { PendingStore } from '../store/pending-store.ts'
import { branchHead } from './projects.ts'

export interface ReadResult {
  path: string
  oid: string
  mode: string
  size: number
  content: Buffer
  /** true when this is the user's pending version */
  pending: boolean
}

/** The commit to read at: `ref` resolved, or the default branch's head (null before any commit). */
export async function readPoint(repo: Repository, ref?: string): Promise<string | null> {
  return ref ? repo.resolveRef(ref) : branchHead(repo)
}

/**
 * Reads files at a ref, with a user's pending versions laid over them when `userId` is given:
 * a pending write wins, a pending deletion makes the path missing. Two batched reads in all,
 * whatever the number of paths.
 */
export async function readFiles({
  repo,
  pending,
  paths,
  ref,
  userId,
}: {
  repo: Repository
  pending: PendingStore
  paths: readonly string[]
  ref?: string
  userId?: string
}): Promise<{ files: ReadResult[]; missing: string[] }> {
  const [commit, overlay] = await Promise.all([
    readPoint(repo, ref),
    userId ? pending.read(repo.repoId, userId, paths) : Promise.resolve([]),
  ])
  const pendingByPath = new Map(overlay.map((p) => [p.path, p]))
  const fromGit = paths.filter((p) => !pendingByPath.has(p))
  const stored =
    commit && fromGit.length > 0
      ? await repo.readFiles({ ref: commit, paths: fromGit })
      : { files: [], missing: fromGit }
  const storedByPath = new Map(stored.files.map((f) => [f.path, f]))
  const files: ReadResult[] = []
  const missing: string[] = []
  for (const path of paths) {
    const p = pendingByPath.get(path)
    if (p) {
      if (p.content === null) missing.push(path)
      else
        files.push({
          path,
          oid: p.oid!,
          mode: '100644',
          size: p.size,
          content: p.content,
          pending: true,
        })
      continue
    }
    const f = storedByPath.get(path)
    if (f) files.push({ ...f, pending: false })
    else missing.push(path)
  }
  return { files, missing }
}

/** One file, as `readFiles` reads it; `PATH_NOT_FOUND` when missing. */
export async function readFile(input: {
  repo: Repository
  pending: PendingStore
  path: string
  ref?: string
  userId?: string
}): Promise<ReadResult> {
  const { files } = await readFiles({ ...input, paths: [input.path] })
  if (files.length === 0) throw new PathNotFoundError(input.path)
  return files[0]
}
