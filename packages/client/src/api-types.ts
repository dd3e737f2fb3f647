import type { components, paths } from './generated/api.ts'

/**
 * Request and response types read from the server's OpenAPI document (`generated/api.ts`), so a
 * change to a route's schema changes the client's types with the next `pnpm generate`.
 */

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch'
type Nothing = Record<never, never>

/** The operation at a route, `never` when the document does not have it (yet). */
type Operation<P extends string, M extends Method> = P extends keyof paths
  ? NonNullable<paths[P][M]>
  : never

/**
 * The JSON a route answers with at `status`; `Fallback` while the generated document lacks the
 * route (one being added on the server): the generated type wins as soon as it has it.
 */
export type ResponseJson<
  P extends string,
  M extends Method,
  S extends number = 200,
  Fallback = never,
> = [Operation<P, M>] extends [never]
  ? Fallback
  : Operation<P, M> extends { responses: infer R }
    ? S extends keyof R
      ? R[S] extends { content: { 'application/json': infer J } }
        ? J
        : Fallback
      : Fallback
    : Fallback

/** The JSON body a route takes; `Fallback` while the generated document lacks the route. */
export type RequestJson<P extends string, M extends Method, Fallback = never> = [
  Operation<P, M>,
] extends [never]
  ? Fallback
  : Operation<P, M> extends { requestBody?: infer B }
    ? NonNullable<B> extends { content: { 'application/json': infer J } }
      ? J
      : Fallback
    : Fallback

/** A flag the server reads as the text `true` or `false` is a boolean for the client. */
type Input<T> = [T] extends ['true' | 'false' | '1' | '0' | undefined] ? boolean : T

/**
 * The query parameters a route takes (an empty object when it takes none); flags as booleans.
 */
export type QueryOf<P extends string, M extends Method, Fallback = Nothing> = [
  Operation<P, M>,
] extends [never]
  ? Fallback
  : Operation<P, M> extends { parameters: { query?: infer Q } }
    ? [NonNullable<Q>] extends [never]
      ? Nothing
      : { [K in keyof NonNullable<Q>]: Input<NonNullable<Q>[K]> }
    : Nothing

type Schemas = components['schemas']

export type Project = Schemas['Project']
export type FileEntry = Schemas['FileEntry']
export type FileCommit = Schemas['FileCommit']
export type PendingChange = Schemas['PendingChange']
export type CommitCreated = Schemas['CommitCreated']
export type Signature = Schemas['Signature']
export type Commit = Schemas['Commit']
export type Change = Schemas['Change']
export type Branch = Schemas['Branch']
export type ChangeEvent = Schemas['ChangeEvent']
export type PullResult = Schemas['PullResult']
export type PushResult = Schemas['PushResult']

export type Health = ResponseJson<'/health', 'get'>
export type FileList = ResponseJson<'/files/{projectId}', 'get'>
export type BatchResult = ResponseJson<'/files/{projectId}/batch', 'post'>
export type BatchFile = BatchResult['files'][number]
export type PendingList = ResponseJson<'/pending/{projectId}/{userId}', 'get'>
export type PendingDeletion = ResponseJson<'/pending/{projectId}/{userId}/delete/{path}', 'post'>
export type LogPage = ResponseJson<'/projects/{projectId}/log', 'get'>
export type CommitDetail = ResponseJson<'/projects/{projectId}/commits/{oid}', 'get'>
export type DiffResult = ResponseJson<'/projects/{projectId}/diff', 'get'>
export type ChangePage = ResponseJson<'/projects/{projectId}/changes', 'get'>
export type ImportResult = ResponseJson<'/projects/{projectId}/import', 'post', 201>
export type StorageReport = Schemas['Storage']
export type MaintenanceReport = Schemas['MaintenanceReport']

/** A line of `git grep -n` output; `before`/`after` with `context`. */
export interface GrepMatch {
  path: string
  pathBytes?: string
  line: number
  text: string
  /** base64 of the line's bytes when they are not UTF-8 */
  textBytes?: string
  before?: string[]
  after?: string[]
}

export type GrepResult = ResponseJson<
  '/projects/{projectId}/grep',
  'get',
  200,
  { matches: GrepMatch[]; next: string | null }
>

export type BlameResult = ResponseJson<
  '/projects/{projectId}/blame/{path}',
  'get',
  200,
  {
    /** the commit blamed from */
    head: string
    /** the file's blob id */
    oid: string
    lineCount: number
    lines: {
      line: number
      commit: string
      origPath: string
      origPathBytes?: string
      origLine: number
    }[]
    commits: Record<
      string,
      {
        author: Signature
        committer: Signature
        summary: string
        boundary: boolean
        previous: { commit: string; path: string; pathBytes?: string } | null
      }
    >
  }
>

type ObjectType = 'commit' | 'tree' | 'blob' | 'tag'

/** A tag: `oid` is the tag object (`type: 'tag'`, annotated) or the object tagged. */
export interface TagEntry {
  name: string
  oid: string
  type: ObjectType
  /** the object finally tagged (peeled) */
  target: string
  targetType: ObjectType
  message?: string
  tagger?: Signature
}

export type TagList = ResponseJson<'/projects/{projectId}/tags', 'get', 200, { tags: TagEntry[] }>
export type Tag = ResponseJson<'/projects/{projectId}/tags', 'post', 201, TagEntry>

/** The scopes a key can be limited to. */
export type KeyScope = 'read' | 'write' | 'admin'

export interface KeyEntry {
  id: string
  projects: string[]
  scope: KeyScope
  expiresAt: string | null
  createdAt: string
  revokedAt: string | null
}

export type KeyList = ResponseJson<'/keys', 'get', 200, { keys: KeyEntry[] }>
/** A new key: `key` is the secret itself, in this answer only. */
export type CreatedKey = ResponseJson<'/keys', 'post', 201, KeyEntry & { key: string }>
export type RevokedKey = ResponseJson<'/keys/{id}', 'delete', 200, KeyEntry>

/** The user's pending changes against the head they are compared with (`base`). */
export type PendingDiff = ResponseJson<
  '/pending/{projectId}/{userId}/diff',
  'get',
  200,
  { base: string | null; changes: Change[] }
>
