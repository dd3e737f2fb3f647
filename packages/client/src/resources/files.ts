import type {
  BatchFile,
  BatchResult,
  FileCommit,
  FileList,
  QueryOf,
  RequestJson,
} from '../api-types.ts'
import { encodePath, encodeSegment, fromBase64, pathsJson, type FilePath } from '../paths.ts'
import type { Content, Transport } from '../transport.ts'

type ListQuery = Omit<QueryOf<'/files/{projectId}', 'get'>, 'userId'> & {
  /** lay this user's pending changes over the listing */
  userId?: string
}
type ReadQuery = QueryOf<'/files/{projectId}/{path}', 'get'>
type BatchBody = Omit<RequestJson<'/files/{projectId}/batch', 'post'>, 'paths' | 'pathBytes'>
type WriteQuery = QueryOf<'/files/{projectId}/{path}', 'put'>

/** Who a commit made by `files.write` or `files.delete` is by. */
export interface Author {
  name: string
  email: string
}

/** A file read as a stream, with what the server says about it. */
export interface FileStream {
  body: ReadableStream<Uint8Array>
  /** the blob id (the ETag) */
  oid: string
  mode: string | null
  /** whether it is the user's pending version */
  pending: boolean
  contentType: string | null
}

type FileRef = { project: string; path: FilePath } & ReadQuery
type WriteInput = { project: string; path: FilePath; author?: Author } & WriteQuery

const filesOf = (project: string) => `/files/${encodeSegment(project)}`
const fileAt = (project: string, path: FilePath) => `${filesOf(project)}/${encodePath(path)}`
const authorHeaders = (author?: Author) => ({
  'X-Author-Name': author?.name,
  'X-Author-Email': author?.email,
})

/**
 * The content of a file of a batch read as bytes.
 *
 * @example
 * const { files } = await client.files.batch({ project: 'docs', paths: ['a.md'] })
 * const bytes = batchContent(files[0])
 */
export function batchContent(file: Pick<BatchFile, 'encoding' | 'content'>): Uint8Array {
  return file.encoding === 'base64'
    ? fromBase64(file.content)
    : new TextEncoder().encode(file.content)
}

/** `client.files`: read, list and commit files. */
export function filesApi(t: Transport) {
  const open = ({ project, path, ref, userId }: FileRef) =>
    t.send({ method: 'GET', path: fileAt(project, path), query: { ref, userId } })

  return {
    /** Lists the files at a ref (default: the default branch), optionally under `prefix`. */
    list: ({ project, ...query }: { project: string } & ListQuery): Promise<FileList> =>
      t.json({ method: 'GET', path: filesOf(project), query }),

    /**
     * A file's bytes; with `userId`, that user's pending version wins.
     *
     * @example
     * const bytes = await client.files.read({ project: 'docs', path: 'intro.md', ref: 'main' })
     * new TextDecoder().decode(bytes)
     */
    read: async (file: FileRef): Promise<Uint8Array> =>
      new Uint8Array(await (await open(file)).arrayBuffer()),

    /** A file's content as UTF-8 text. */
    readText: async (file: FileRef): Promise<string> => (await open(file)).text(),

    /**
     * A file as a stream of bytes, for content too large to hold at once.
     *
     * @example
     * const { body, oid } = await client.files.stream({ project: 'docs', path: 'big.bin' })
     */
    stream: async (file: FileRef): Promise<FileStream> => {
      const res = await open(file)
      return {
        body: res.body ?? new ReadableStream({ start: (c) => c.close() }),
        oid: (res.headers.get('etag') ?? '').replace(/^(W\/)?"|"$/g, ''),
        mode: res.headers.get('x-gitpg-mode'),
        pending: res.headers.get('x-gitpg-pending') === 'true',
        contentType: res.headers.get('content-type'),
      }
    },

    /**
     * Reads many files in one call: `files` in the order asked (content as `utf8` or `base64`,
     * see `batchContent`), `missing` paths, and `skipped` ones past the answer's byte budget.
     */
    batch: ({
      project,
      paths,
      ...body
    }: { project: string; paths: readonly FilePath[] } & BatchBody): Promise<BatchResult> =>
      t.json({
        method: 'POST',
        path: `${filesOf(project)}/batch`,
        json: { ...body, ...pathsJson(paths) },
      }),

    /**
     * Commits this one file's new content to a branch.
     *
     * @example
     * await client.files.write({ project: 'docs', path: 'a.md', content: '# A\n', message: 'add a' })
     */
    write: ({
      project,
      path,
      content,
      author,
      ...query
    }: WriteInput & { content: Content }): Promise<FileCommit> =>
      t.json({
        method: 'PUT',
        path: fileAt(project, path),
        query,
        body: content,
        headers: authorHeaders(author),
      }),

    /** Commits the deletion of this file. */
    delete: ({ project, path, author, ...query }: WriteInput): Promise<FileCommit> =>
      t.json({
        method: 'DELETE',
        path: fileAt(project, path),
        query,
        headers: authorHeaders(author),
      }),
  }
}
