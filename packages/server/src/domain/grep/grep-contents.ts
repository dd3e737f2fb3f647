import type { Repository } from '@gitpg/git-pg-fs'
import type { PendingStore } from '../../store/pending-store.ts'
import type { GrepFile } from './grep-files.ts'

/** Files and content bytes read at a time (a larger single file is read alone). */
const CHUNK_FILES = 400
const CHUNK_BYTES = 16 * 1024 * 1024

interface ContentSource {
  repo: Repository
  pending: PendingStore
  userId?: string
}

/** Sizes of the files from `start` on (up to a chunk's count): cached blobs, pending, the rest asked. */
async function sizesFrom(
  repo: Repository,
  files: readonly GrepFile[],
  start: number,
): Promise<number[]> {
  const slice = files.slice(start, start + CHUNK_FILES)
  const unknown = slice
    .filter((f) => f.pendingVersion === null && !repo.reader.cache.get(repo.repoId, f.oid))
    .map((f) => f.oid)
  const info = unknown.length > 0 ? await repo.store.readObjectInfo(repo.repoId, unknown) : null
  return slice.map((f) =>
    f.pendingVersion !== null
      ? f.size
      : (repo.reader.cache.get(repo.repoId, f.oid)?.content.length ?? info?.get(f.oid)?.size ?? 0),
  )
}

/** The next chunk from `start`: at most `CHUNK_FILES` files and `CHUNK_BYTES` (or one file). */
async function readChunk(
  { repo, pending, userId }: ContentSource,
  all: readonly GrepFile[],
  start: number,
): Promise<{ files: GrepFile[]; contents: (Buffer | null)[] }> {
  const sizes = await sizesFrom(repo, all, start)
  let n = 0
  let bytes = 0
  while (n < sizes.length && (n === 0 || bytes + sizes[n] <= CHUNK_BYTES)) bytes += sizes[n++]
  const files = all.slice(start, start + n)
  const fromPending = files.filter((f) => f.pendingVersion !== null).map((f) => f.path)
  const [blobs, rows] = await Promise.all([
    repo.reader.readMany(files.filter((f) => f.pendingVersion === null).map((f) => f.oid)),
    userId && fromPending.length > 0
      ? pending.read(repo.repoId, userId, fromPending)
      : Promise.resolve([]),
  ])
  const byPath = new Map(rows.map((r) => [r.path, r.content]))
  const contents = files.map((f) =>
    f.pendingVersion === null ? (blobs.get(f.oid)?.content ?? null) : (byPath.get(f.path) ?? null),
  )
  return { files, contents }
}

/**
 * The contents of `files`, in order, a chunk at a time; the next chunk is read while the caller
 * works on this one, so memory holds two chunks. A pending version discarded since the listing
 * comes back as null content (the file is gone from the user's view).
 *
 * @example
 * for await (const { file, content } of grepContents({ repo, pending, files })) scan(content)
 */
export async function* grepContents({
  files,
  ...source
}: ContentSource & { files: readonly GrepFile[] }): AsyncGenerator<{
  file: GrepFile
  content: Buffer | null
}> {
  let at = 0
  let ahead = files.length > 0 ? readChunk(source, files, 0) : null
  while (ahead) {
    const chunk = await ahead
    at += chunk.files.length
    ahead = at < files.length ? readChunk(source, files, at) : null
    // a caller that stops early leaves the read ahead to settle unobserved
    ahead?.catch(() => {})
    for (let i = 0; i < chunk.files.length; i++)
      yield { file: chunk.files[i], content: chunk.contents[i] }
  }
}
