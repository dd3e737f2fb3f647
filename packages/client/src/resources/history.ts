import type {
  BlameResult,
  CommitCreated,
  CommitDetail,
  DiffResult,
  GrepResult,
  LogPage,
  QueryOf,
  RequestJson,
} from '../api-types.ts'
import { encodePath, encodeSegment, pathsJson, type FilePath } from '../paths.ts'
import type { Transport } from '../transport.ts'

type LogQuery = Omit<QueryOf<'/projects/{projectId}/log', 'get'>, 'path' | 'follow'> & {
  path?: FilePath
  /** follow the path across renames, like `git log --follow` */
  follow?: boolean
}
type DiffQuery = Omit<
  QueryOf<'/projects/{projectId}/diff', 'get'>,
  'path' | 'format' | 'renames' | 'copies'
> & {
  path?: FilePath
  /** detect renames, like `git diff -M` (status `R` with `oldPath` and `similarity`) */
  renames?: boolean
  /** detect copies too, like `git diff -C` (status `C`) */
  copies?: boolean
}
type CommitBody = Omit<RequestJson<'/projects/{projectId}/commits', 'post'>, 'paths' | 'pathBytes'>

/**
 * What `grep` takes (the server's query, flags as booleans): `pattern`, a fixed string unless
 * `regex`; `path` a git pathspec (a prefix, or a glob whose `*` also matches "/"); `context`
 * lines around each match; `userId` to search that user's pending versions; `limit`/`cursor`.
 */
export type GrepQuery = Omit<QueryOf<'/projects/{projectId}/grep', 'get'>, 'path'> & {
  path?: FilePath
}

/**
 * What `blame` takes: `start`/`end` are 1-based inclusive lines, like `git blame -L`; with
 * `userId`, that user's pending version is blamed (its new lines on commit 000…0).
 */
export type BlameQuery = QueryOf<'/projects/{projectId}/blame/{path}', 'get'> & { path: FilePath }

const projectAt = (project: string) => `/projects/${encodeSegment(project)}`

/** History: log, single commits, diffs, grep, blame, and commits of pending changes. */
export function historyApi(t: Transport) {
  return {
    /**
     * A page of history, newest first, like `git log [-- path]`; `next` is the cursor of the
     * following page, null at the end.
     *
     * @example
     * const { commits, next } = await client.log({ project: 'docs', path: 'intro.md', limit: 20 })
     */
    log: ({ project, ...query }: { project: string } & LogQuery): Promise<LogPage> =>
      t.json({ method: 'GET', path: `${projectAt(project)}/log`, query }),

    /**
     * Every commit of the history, page by page.
     *
     * @example
     * for await (const commit of client.logAll({ project: 'docs' })) console.log(commit.oid)
     */
    async *logAll({
      project,
      ...query
    }: { project: string } & Omit<LogQuery, 'cursor'>): AsyncGenerator<LogPage['commits'][number]> {
      let cursor: string | undefined
      do {
        const page: LogPage = await t.json({
          method: 'GET',
          path: `${projectAt(project)}/log`,
          query: { ...query, cursor },
        })
        yield* page.commits
        cursor = page.next ?? undefined
      } while (cursor)
    },

    /** Changes between two refs, like `git diff --name-status from to [-- path]`. */
    diff: ({ project, ...query }: { project: string } & DiffQuery): Promise<DiffResult> =>
      t.json({ method: 'GET', path: `${projectAt(project)}/diff`, query }),

    /** The same changes as a unified diff. */
    patch: ({ project, ...query }: { project: string } & DiffQuery): Promise<string> =>
      t.text({
        method: 'GET',
        path: `${projectAt(project)}/diff`,
        query: { ...query, format: 'patch' },
      }),

    /**
     * Searches file contents like `git grep -n`; `next` pages on.
     *
     * @example
     * const { matches } = await client.grep({ project: 'docs', pattern: 'TODO', path: '*.md' })
     */
    grep: ({ project, ...query }: { project: string } & GrepQuery): Promise<GrepResult> =>
      t.json({ method: 'GET', path: `${projectAt(project)}/grep`, query }),

    /** Who last changed each line of a file, like `git blame --porcelain`. */
    blame: ({ project, path, ...query }: { project: string } & BlameQuery): Promise<BlameResult> =>
      t.json({ method: 'GET', path: `${projectAt(project)}/blame/${encodePath(path)}`, query }),

    commits: {
      /**
       * Commits the user's pending changes (all, or `paths`) and clears them, atomically;
       * `REF_CONFLICT` (409) when the branch moved past `expectedHead`.
       *
       * @example
       * await client.commits.create({ project: 'docs', userId: 'ada', message: 'Save', author: { name: 'Ada', email: 'ada@example.com' } })
       */
      create: ({
        project,
        paths,
        ...body
      }: { project: string; paths?: readonly FilePath[] } & CommitBody): Promise<CommitCreated> =>
        t.json({
          method: 'POST',
          path: `${projectAt(project)}/commits`,
          // an empty list stays one, for the server to refuse, rather than meaning "all"
          json: { ...body, ...(paths ? { paths: [], ...pathsJson(paths) } : {}) },
        }),

      /** A commit and the paths it changed (`oid` may be any ref). */
      get: ({ project, oid }: { project: string; oid: string }): Promise<CommitDetail> =>
        t.json({ method: 'GET', path: `${projectAt(project)}/commits/${encodeSegment(oid)}` }),
    },
  }
}
