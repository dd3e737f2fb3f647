import type { GitObject, ObjectCache, Repository } from '@gitpg/git-pg-fs'
import type { PendingStore } from '../../store/pending-store.ts'
import type { GrepFile } from './grep-files.ts'

/** Files per chunk, and content bytes one read of a chunk brings at most (besides one file). */
const CHUNK_FILES = 2000
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

/** A chunk as read: `undefined` content for a blob past the read's byte budget, read later. */
interface ReadChunk {
  files: GrepFile[]
  contents: (Buffer | null | undefined)[]
}

/**
 * A chunk's contents in one round trip per source: cached blobs as they are, the other blobs
 * while they fit in `CHUNK_BYTES` (the rest left for later), pending versions of the user.
 */
async function readChunk(
  { repo, pending, userId }: ContentSource,
  files: GrepFile[],
): Promise<ReadChunk> {
  const { cache } = repo.reader
  const cached = files.map((f) =>
    f.pendingVersion === null ? cache.get(repo.repoId, f.oid)?.content : undefined,
  )
  const misses = files.filter((f, i) => f.pendingVersion === null && !cached[i]).map((f) => f.oid)
  const fromPending = files.filter((f) => f.pendingVersion !== null).map((f) => f.path)
  const [blobs, rows] = await Promise.all([
    misses.length > 0 ? repo.store.readObjectsWithin(repo.repoId, misses, CHUNK_BYTES) : null,
    userId && fromPending.length > 0
      ? pending.read(repo.repoId, userId, fromPending)
      : Promise.resolve([]),
  ])
  if (blobs) cacheAll(cache, repo.repoId, blobs.objects)
  const byPath = new Map(rows.map((r) => [r.path, r.content]))
  const contents = files.map((f, i) =>
    f.pendingVersion !== null
      ? (byPath.get(f.path) ?? null)
      : (cached[i] ?? blobs?.objects.get(f.oid)?.content),
  )
  return { files, contents }
}

// out of `readChunk`: a loop in an async function makes V8 compile all of it (see `resolveRows`)
function cacheAll(cache: ObjectCache, repoId: number, objects: Map<string, GitObject>): void {
  for (const o of objects.values()) cache.set(repoId, o)
}

/**
 * A chunk as the search takes it: a blob left for later is read on its own when its turn
 * comes, so that memory never holds more than one such read besides the chunks.
 */
async function* inTurn(repo: Repository, chunk: ReadChunk): AsyncGenerator<ContentChunk> {
  let start = 0
  for (let i = 0; i <= chunk.files.length; i++) {
    if (i < chunk.files.length && chunk.contents[i] !== undefined) continue
    if (i > start)
      yield {
        files: chunk.files.slice(start, i),
        contents: chunk.contents.slice(start, i) as (Buffer | null)[],
      }
    if (i < chunk.files.length) {
      const found = await repo.reader.readMany([chunk.files[i].oid])
      yield { files: [chunk.files[i]], contents: [found.get(chunk.files[i].oid)?.content ?? null] }
    }
    start = i + 1
  }
}

/**
 * The contents of `files`, in order, a chunk at a time; up to `READ_AHEAD` further chunks are
 * read while the caller works on this one, so memory holds a few chunks of at most about 8 MB
 * whatever the number and size of the files.
 *
 * @example
 * for await (const { files, contents } of grepContents({ repo, pending, files })) scan(contents)
 */
export async function* grepContents({
  files,
  ...source
}: ContentSource & { files: readonly GrepFile[] }): AsyncGenerator<ContentChunk> {
  const queue: Promise<ReadChunk>[] = []
  let next = 0
  const enqueue = () => {
    if (next >= files.length) return
    const chunk = readChunk(source, files.slice(next, next + CHUNK_FILES))
    // a caller that stops early leaves the reads ahead to settle unobserved
    chunk.catch(() => {})
    queue.push(chunk)
    next += CHUNK_FILES
  }
  for (let i = 0; i <= READ_AHEAD; i++) enqueue()
  while (queue.length > 0) {
    const chunk = await queue.shift()!
    enqueue()
    yield* inTurn(source.repo, chunk)
  }
}
