import type { Repository } from '@gitpg/git-pg-fs'
import type { PendingStore } from '../store/pending-store.ts'
import { readPoint } from './file-reads.ts'
import { locateFiles } from './locate-files.ts'

/**
 * Why a path a batch read found was left out of its answer: `BATCH_TOO_LARGE`, the answer
 * reached its byte budget first (ask again for these paths); `FILE_TOO_LARGE`, the file alone is
 * over the budget (read it with `GET /files/:projectId/:path`, which has no such budget);
 * `CHANGED`, the user's pending version changed while the batch was read (ask again).
 */
export type SkipCode = 'BATCH_TOO_LARGE' | 'FILE_TOO_LARGE' | 'CHANGED'

export interface SkippedFile {
  path: string
  size: number
  code: SkipCode
}

/** A file a batch read answers with, located but not yet read. */
export interface PlannedFile {
  path: string
  oid: string
  mode: string
  size: number
  /** the pending version to read (its ETag), when this is the user's pending version */
  pendingVersion: string | null
}

export interface BatchPlan {
  files: PlannedFile[]
  missing: string[]
  skipped: SkippedFile[]
}

/**
 * Decides what a batch read answers, from tree entries and object sizes only (no content is
 * read): the files in the order asked, as long as their sizes add up to at most `maxBytes`; the
 * paths not found (or deleted in the user's pending changes); and the found paths left out, with
 * why. Once a file does not fit, every later file is left out too, so a client that asks again
 * for the skipped paths gets the next files in its order.
 */
export async function planBatch({
  repo,
  pending,
  paths,
  ref,
  userId,
  maxBytes,
}: {
  repo: Repository
  pending: PendingStore
  paths: readonly string[]
  ref?: string
  userId?: string
  maxBytes: number
}): Promise<BatchPlan> {
  const [commit, overlay] = await Promise.all([
    readPoint(repo, ref),
    userId ? pending.list(repo.repoId, userId) : Promise.resolve([]),
  ])
  const asked = new Set(paths)
  const pendingByPath = new Map(overlay.filter((p) => asked.has(p.path)).map((p) => [p.path, p]))
  const fromGit = paths.filter((p) => !pendingByPath.has(p))
  const root = commit && fromGit.length > 0 ? (await repo.reader.commit(commit)).tree : null
  const entries = root ? await locateFiles(repo.reader, root, fromGit) : []
  const gitByPath = new Map(
    fromGit.flatMap((p, i) => (entries[i]?.type === 'blob' ? [[p, entries[i]!] as const] : [])),
  )
  const blobs = [...new Set([...gitByPath.values()].map((e) => e.oid))]
  const info = blobs.length > 0 ? await repo.store.readObjectInfo(repo.repoId, blobs) : new Map()

  const plan: BatchPlan = { files: [], missing: [], skipped: [] }
  let used = 0
  let full = false
  for (const path of paths) {
    const p = pendingByPath.get(path)
    const e = gitByPath.get(path)
    const file: PlannedFile | null = p
      ? p.action === 'deleted'
        ? null
        : { path, oid: p.oid!, mode: '100644', size: p.size, pendingVersion: p.version }
      : e && info.has(e.oid)
        ? { path, oid: e.oid, mode: e.mode, size: info.get(e.oid)!.size, pendingVersion: null }
        : null
    if (!file) plan.missing.push(path)
    else if (file.size > maxBytes)
      plan.skipped.push({ path, size: file.size, code: 'FILE_TOO_LARGE' })
    else if (full || used + file.size > maxBytes) {
      full = true
      plan.skipped.push({ path, size: file.size, code: 'BATCH_TOO_LARGE' })
    } else {
      used += file.size
      plan.files.push(file)
    }
  }
  return plan
}
