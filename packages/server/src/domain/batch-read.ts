import type { Repository } from '@gitpg/git-pg-fs'
import type { PendingStore } from '../store/pending-store.ts'
import type { PlannedFile } from './batch-plan.ts'

/** A planned file with its content, or `content: null` when its pending version changed. */
export interface ReadFile extends PlannedFile {
  content: Buffer | null
}

/** Where planned files are read from: the repository, and the user's pending versions. */
interface PlannedRead {
  repo: Repository
  pending: PendingStore
  userId?: string
  files: readonly PlannedFile[]
}

/** What one read of contents fetches at most (a single larger file is read alone). */
const CHUNK_BYTES = 8 * 1024 * 1024
const CHUNK_FILES = 500

/**
 * Reads the contents of planned files a few at a time, in their order: memory holds one chunk
 * of contents (about `CHUNK_BYTES`, or one larger file) however many files the batch has. A
 * pending version that changed or went away since the plan comes back with `content: null`.
 *
 * @example
 * for await (const chunk of readPlanned({ repo, pending, userId, files: plan.files })) send(chunk)
 */
export async function* readPlanned({
  repo,
  pending,
  userId,
  files,
}: PlannedRead): AsyncGenerator<ReadFile[]> {
  let start = 0
  while (start < files.length) {
    let end = start
    let bytes = 0
    while (end < files.length && end - start < CHUNK_FILES) {
      if (end > start && bytes + files[end].size > CHUNK_BYTES) break
      bytes += files[end].size
      end++
    }
    yield await readChunk({ repo, pending, userId, files: files.slice(start, end) })
    start = end
  }
}

async function readChunk({ repo, pending, userId, files }: PlannedRead): Promise<ReadFile[]> {
  const fromPending = files.filter((f) => f.pendingVersion !== null).map((f) => f.path)
  const [blobs, rows] = await Promise.all([
    repo.reader.readMany(new Set(files.filter((f) => f.pendingVersion === null).map((f) => f.oid))),
    userId && fromPending.length > 0
      ? pending.read(repo.repoId, userId, fromPending)
      : Promise.resolve([]),
  ])
  const byPath = new Map(rows.map((r) => [r.path, r]))
  return files.map((f) => {
    if (f.pendingVersion === null) {
      const blob = blobs.get(f.oid)
      return { ...f, content: blob ? blob.content : null }
    }
    const row = byPath.get(f.path)
    return { ...f, content: row?.version === f.pendingVersion ? row.content : null }
  })
}
