import type { Repository } from '@gitpg/git-pg-fs'
import type { PendingStore } from '../../store/pending-store.ts'
import type { GrepFile } from './grep-files.ts'

/** Files and content bytes read at a time (a larger single file is read alone). */
const CHUNK_FILES = 500
const CHUNK_BYTES = 8 * 1024 * 1024
/** Chunks read ahead of the one being searched: reads overlap the search and each other. */
const READ_AHEAD = 3

interface ContentSource {
  repo: Repository
  pending: PendingStore
  userId?: string
}

/** A chunk of files with their contents (null: a pending version discarded since the listing). */
export interface ContentChunk {
  files: GrepFile[]
  contents: (Buffer | null)[]
}

/** A chunk located but not yet read: its files, the contents the cache held, where it ends. */
interface PlannedChunk {
  files: GrepFile[]
  cached: (Buffer | undefined)[]
  end: number
}

/**
 * The next chunk from `start`: at most `CHUNK_FILES` files and `CHUNK_BYTES` of content (or one
 * larger file). Each cached blob is looked up once; the sizes of the others are asked first.
 */
async function planChunk(
  repo: Repository,
  all: readonly GrepFile[],
  start: number,
): Promise<PlannedChunk> {
  const candidates = all.slice(start, start + CHUNK_FILES)
  const cached = candidates.map((f) =>
    f.pendingVersion === null ? repo.reader.cache.get(repo.repoId, f.oid)?.content : undefined,
  )
  const unknown = candidates.filter((f, i) => f.pendingVersion === null && !cached[i])
  const info =
    unknown.length > 0
      ? await repo.store.readObjectInfo(
          repo.repoId,
          unknown.map((f) => f.oid),
        )
      : null
  let n = 0
  let bytes = 0
  while (n < candidates.length) {
    const f = candidates[n]
    const size =
      f.pendingVersion !== null ? f.size : (cached[n]?.length ?? info?.get(f.oid)?.size ?? 0)
    if (n > 0 && bytes + size > CHUNK_BYTES) break
    bytes += size
    n++
  }
  return { files: candidates.slice(0, n), cached: cached.slice(0, n), end: start + n }
}

/** The contents of a planned chunk: the blobs the cache did not hold, and pending versions. */
async function readChunk(
  { repo, pending, userId }: ContentSource,
  { files, cached }: PlannedChunk,
): Promise<ContentChunk> {
  const misses = files.filter((f, i) => f.pendingVersion === null && !cached[i]).map((f) => f.oid)
  const fromPending = files.filter((f) => f.pendingVersion !== null).map((f) => f.path)
  const [blobs, rows] = await Promise.all([
    misses.length > 0 ? repo.reader.readMany(misses) : null,
    userId && fromPending.length > 0
      ? pending.read(repo.repoId, userId, fromPending)
      : Promise.resolve([]),
  ])
  const byPath = new Map(rows.map((r) => [r.path, r.content]))
  const contents = files.map((f, i) =>
    f.pendingVersion !== null
      ? (byPath.get(f.path) ?? null)
      : (cached[i] ?? blobs?.get(f.oid)?.content ?? null),
  )
  return { files, contents }
}

/**
 * The contents of `files`, in order, a chunk at a time; up to `READ_AHEAD` further chunks are
 * read while the caller works on this one (each located as soon as the one before it is), so
 * memory holds a few chunks of about 8 MB whatever the number of files.
 *
 * @example
 * for await (const { files, contents } of grepContents({ repo, pending, files })) scan(contents)
 */
export async function* grepContents({
  files,
  ...source
}: ContentSource & { files: readonly GrepFile[] }): AsyncGenerator<ContentChunk> {
  const queue: Promise<ContentChunk>[] = []
  let located: Promise<number> = Promise.resolve(0)
  const enqueue = () => {
    const plan = located.then((start) => planChunk(source.repo, files, start))
    located = plan.then(
      (p) => p.end,
      () => files.length,
    )
    const chunk = plan.then((p) => readChunk(source, p))
    // a caller that stops early leaves the reads ahead to settle unobserved
    chunk.catch(() => {})
    queue.push(chunk)
  }
  for (let i = 0; i <= READ_AHEAD; i++) enqueue()
  let consumed = 0
  while (consumed < files.length) {
    const chunk = await queue.shift()!
    consumed += chunk.files.length
    enqueue()
    yield chunk
  }
}
