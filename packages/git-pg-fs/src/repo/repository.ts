import { checkConnected } from './check-connected.ts'
import {
  GitPgError,
  PathNotFoundError,
  RefConflictError,
  RefNotFoundError,
  RepoNotFoundError,
} from '../errors.ts'
import { EMPTY_TREE_OID, isOid, makeObject } from '../objects/git-object.ts'
import { serializeCommit, parseTag, type Signature } from '../objects/commit.ts'
import type { GitStore, RefRecord } from '../store/git-store.ts'
import { checkRefName } from '../refs/check-ref-name.ts'
import { buildTree } from './build-tree.ts'
import type { RenameOptions, RenameResult } from '../diff/renames/detect-renames.ts'
import { diffRenames } from './diff-renames.ts'
import { diffTrees } from './diff-trees.ts'
import { followHistory } from './follow-history.ts'
import { decodeCursor, encodeCursor, walkHistory } from './history.ts'
import { ObjectCache } from './object-cache.ts'
import { ObjectReader } from './object-reader.ts'
import { lookupPaths, splitPath, walkTree } from './tree-walk.ts'
import type {
  AuthorInput,
  CommitInfo,
  CommitInput,
  CommitResult,
  DiffEntry,
  FileContent,
  FileEntry,
  LogOptions,
  LogPage,
} from './types.ts'

const defaultCache = new ObjectCache()

function signature(input: AuthorInput): Signature {
  return {
    name: input.name,
    email: input.email,
    timestamp: input.timestamp ?? Math.floor(Date.now() / 1000),
    timezoneOffset: input.timezoneOffset ?? 0,
  }
}

/**
 * One repository: reads, history, diffs and commits over the git store, with no work tree.
 *
 * @example
 * const repo = await Repository.open({ store, name: 'docs' })
 * const file = await repo.readFile({ path: 'README.md' })
 */
export class Repository {
  readonly store: GitStore
  readonly repoId: number
  readonly name: string
  readonly defaultBranch: string
  /**
   * The default branch's commit as read with the repository when it was opened (null: no commit
   * yet; undefined: not read). A snapshot for a request that opens the repository and needs the
   * head at once; `readRef` reads the current one.
   */
  readonly defaultHeadAtOpen: string | null | undefined
  readonly reader: ObjectReader

  constructor({
    store,
    repoId,
    name,
    defaultBranch,
    defaultHeadAtOpen,
    cache = defaultCache,
  }: {
    store: GitStore
    repoId: number
    name: string
    defaultBranch: string
    defaultHeadAtOpen?: string | null
    cache?: ObjectCache
  }) {
    this.store = store
    this.repoId = repoId
    this.name = name
    this.defaultBranch = defaultBranch
    this.defaultHeadAtOpen = defaultHeadAtOpen
    this.reader = new ObjectReader({ store, repoId, cache })
  }

  static async open({
    store,
    name,
    cache,
  }: {
    store: GitStore
    name: string
    cache?: ObjectCache
  }) {
    const record = await store.getRepo(name)
    if (!record) throw new RepoNotFoundError(name)
    return new Repository({
      store,
      repoId: record.repoId,
      name,
      defaultBranch: record.defaultBranch,
      defaultHeadAtOpen: record.defaultHead,
      cache,
    })
  }

  /** The object id a ref resolves to without peeling, or null. Follows symbolic refs. */
  async readRef(name: string): Promise<string | null> {
    let ref: RefRecord | null = await this.store.readRef(this.repoId, name)
    for (let depth = 0; ref?.target && depth < 5; depth++)
      ref = await this.store.readRef(this.repoId, ref.target)
    return ref?.oid ?? null
  }

  /** Resolves a branch, tag, `HEAD`, full or abbreviated commit id to a commit id. */
  async resolveRef(ref?: string): Promise<string> {
    const name = ref && ref.length > 0 ? ref : `refs/heads/${this.defaultBranch}`
    let oid: string | null = null
    if (isOid(name)) {
      // peelToCommit reads it (from the cache when it can) and fails the same way when absent
      oid = name
    } else {
      const candidates =
        name.startsWith('refs/') || name === 'HEAD'
          ? [name]
          : [`refs/heads/${name}`, `refs/tags/${name}`, `refs/remotes/${name}`, `refs/${name}`]
      for (const c of candidates) {
        oid = await this.readRef(c)
        if (oid) break
      }
      if (!oid && /^[0-9a-f]{4,39}$/.test(name)) {
        const found = await this.store.findObjects(this.repoId, name, 2)
        if (found.length > 1)
          throw new GitPgError('AMBIGUOUS_REF', `${name} is ambiguous`, { ref: name })
        oid = found[0] ?? null
      }
    }
    if (!oid) throw new RefNotFoundError(name)
    return this.peelToCommit(oid, name)
  }

  async peelToCommit(oid: string, name = oid): Promise<string> {
    for (let depth = 0; depth < 10; depth++) {
      const o = (await this.reader.readMany([oid])).get(oid)
      if (!o) throw new RefNotFoundError(name)
      if (o.type === 'commit') return oid
      if (o.type !== 'tag') break
      oid = parseTag(o.content).object
    }
    throw new RefNotFoundError(name)
  }

  async readCommit(oid: string): Promise<CommitInfo> {
    const c = await this.reader.commit(oid)
    return {
      oid,
      tree: c.tree,
      parents: c.parents,
      author: c.author,
      committer: c.committer,
      message: c.message,
    }
  }

  async readFile({ ref, path }: { ref?: string; path: string }): Promise<FileContent> {
    const { files } = await this.readFiles({ ref, paths: [path] })
    if (files.length === 0) throw new PathNotFoundError(path)
    return files[0]
  }

  /** Reads many files at one ref: one batched read per directory level, then one for the blobs. */
  async readFiles({ ref, paths }: { ref?: string; paths: readonly string[] }) {
    const commit = await this.reader.commit(await this.resolveRef(ref))
    const entries = await lookupPaths(
      this.reader,
      paths.map((p) => ({ root: commit.tree, parts: splitPath(p) })),
    )
    const blobs = await this.reader.readMany(
      entries.filter((e) => e && e.type === 'blob').map((e) => e!.oid),
    )
    const files: FileContent[] = []
    const missing: string[] = []
    paths.forEach((path, i) => {
      const e = entries[i]
      const blob = e && e.type === 'blob' ? blobs.get(e.oid) : undefined
      if (!e || !blob || splitPath(path).length === 0) missing.push(path)
      else
        files.push({
          path,
          oid: e.oid,
          mode: e.mode,
          size: blob.content.length,
          content: blob.content,
        })
    })
    return { files, missing }
  }

  /** Every file (blob, symlink or submodule entry) under `prefix`, in git's order. */
  async listFiles({ ref, prefix = '' }: { ref?: string; prefix?: string } = {}): Promise<
    FileEntry[]
  > {
    const commit = await this.reader.commit(await this.resolveRef(ref))
    const parts = splitPath(prefix)
    const [start] = await lookupPaths(this.reader, [{ root: commit.tree, parts }])
    if (!start) return []
    const found =
      start.type === 'tree'
        ? await walkTree(this.reader, start.oid, parts.join('/'))
        : [{ path: parts.join('/'), entry: start }]
    const info = await this.store.readObjectInfo(
      this.repoId,
      found.filter((f) => f.entry.type === 'blob').map((f) => f.entry.oid),
    )
    return found.map(({ path, entry }) => ({
      path,
      oid: entry.oid,
      mode: entry.mode,
      size: info.get(entry.oid)?.size ?? 0,
    }))
  }

  /** History newest first, like `git log [-- path]`, a page at a time. */
  async log({
    ref,
    path,
    limit = 100,
    cursor,
    follow = false,
    renames,
  }: LogOptions = {}): Promise<LogPage> {
    const { head, skip } = cursor
      ? decodeCursor(cursor)
      : { head: await this.resolveRef(ref), skip: 0 }
    const graph = await this.reader.commitGraph([head])
    const paths = path && splitPath(path).length > 0 ? [splitPath(path)] : []
    const stopAfter = skip + limit + 1
    const oids =
      follow && path && paths.length > 0
        ? await followHistory({
            reader: this.reader,
            graph,
            head,
            path,
            stopAfter,
            options: renames,
          })
        : await walkHistory({ reader: this.reader, graph, head, paths, stopAfter })
    const page = oids.slice(skip, skip + limit)
    const commits = await this.reader.commits(page)
    return {
      commits: page.map((oid) => {
        const c = commits.get(oid)!
        return {
          oid,
          tree: c.tree,
          parents: c.parents,
          author: c.author,
          committer: c.committer,
          message: c.message,
        }
      }),
      next: oids.length > skip + limit ? encodeCursor(head, skip + limit) : null,
    }
  }

  /** Changes between two commits (or trees), like `git diff --name-status --no-renames`. */
  async diff({
    from,
    to,
    paths = [],
  }: {
    from: string | null
    to: string
    paths?: readonly string[]
  }): Promise<DiffEntry[]> {
    const treeOf = async (ref: string) =>
      (await this.reader.commit(await this.resolveRef(ref))).tree
    const [a, b] = await Promise.all([from ? treeOf(from) : null, treeOf(to)])
    return diffTrees({ reader: this.reader, from: a, to: b, paths: paths.map(splitPath) })
  }

  /**
   * Changes between two commits with git's rename detection, like `git diff -M --name-status`
   * (with `options.copies`, `-C`).
   */
  async diffWithRenames({
    from,
    to,
    paths = [],
    options,
  }: {
    from: string | null
    to: string
    paths?: readonly string[]
    options?: RenameOptions
  }): Promise<RenameResult> {
    const treeOf = async (ref: string) =>
      (await this.reader.commit(await this.resolveRef(ref))).tree
    const [a, b] = await Promise.all([from ? treeOf(from) : null, treeOf(to)])
    return diffRenames({
      reader: this.reader,
      from: a,
      to: b,
      paths: paths.map(splitPath),
      options,
    })
  }

  /** The paths a commit changed relative to its first parent (all paths for a root commit). */
  async changedPaths(oid: string): Promise<DiffEntry[]> {
    const c = await this.reader.commit(oid)
    const parent = c.parents[0] ? (await this.reader.commit(c.parents[0])).tree : null
    return diffTrees({ reader: this.reader, from: parent, to: c.tree })
  }

  /**
   * Commits `changes` on `branch` without a work tree. Commits of one branch take turns: the ref
   * is locked in the commit's transaction, and the commit is built on the head found there (built
   * beforehand on the head read first, and built again under the lock only if the branch moved:
   * the changes are per path, so they apply to any head). With `expectedHead`, a branch that is
   * not there is `RefConflictError` and nothing is visible.
   */
  async commit(
    input: CommitInput & {
      beforeRefUpdate?: (tx: GitStore) => Promise<void>
      /** the branch's head as the caller just read it (null: none), not read again */
      head?: string | null
    },
  ): Promise<CommitResult> {
    const branch = checkRefName(input.branch)
    const refName = `refs/heads/${branch}`
    const current = input.head !== undefined ? input.head : await this.readRef(refName)
    if (input.expectedHead !== undefined && input.expectedHead !== current) {
      throw new RefConflictError(refName, input.expectedHead, current)
    }
    // built outside the lock; a failure here may not hold on the head found under it
    let built = await this.#buildCommit(this.reader, current, input).catch(() => null)
    return this.store.transaction(async (tx) => {
      const ref = await tx.lockRef(this.repoId, refName)
      const locked = ref?.oid ?? null
      if (input.expectedHead !== undefined && input.expectedHead !== locked)
        throw new RefConflictError(refName, input.expectedHead, locked)
      // a branch deleted (or made symbolic) meanwhile is not silently created again
      if (locked === null && (current !== null || ref !== null))
        throw new RefConflictError(refName, current, locked)
      if (built === null || built.parent !== locked) {
        const reader = new ObjectReader({
          store: tx,
          repoId: this.repoId,
          cache: this.reader.cache,
        })
        built = await this.#buildCommit(reader, locked, input)
      }
      await tx.writeObjects(this.repoId, built.objects)
      await input.beforeRefUpdate?.(tx)
      await tx.updateRefs(this.repoId, [{ name: refName, expected: locked, oid: built.oid }])
      return { oid: built.oid, branch, parent: locked, tree: built.tree }
    })
  }

  /** The commit of `input.changes` on `parent`, and every object it adds. */
  async #buildCommit(reader: ObjectReader, parent: string | null, input: CommitInput) {
    const base = parent ? (await reader.commit(parent)).tree : null
    const { tree, objects } = await buildTree({ reader, base, changes: input.changes })
    if (tree === base || (base === null && tree === EMPTY_TREE_OID))
      throw new GitPgError('NOTHING_TO_COMMIT', 'the changes leave the tree as it is')
    const author = signature(input.author)
    const committer = input.committer ? signature(input.committer) : author
    const commit = makeObject(
      'commit',
      serializeCommit({
        tree,
        parents: parent ? [parent] : [],
        author,
        committer,
        message: normalizeMessage(input.message),
      }),
    )
    return { oid: commit.oid, parent, tree, objects: [...objects, commit] }
  }

  async listBranches(): Promise<{ name: string; oid: string }[]> {
    const refs = await this.store.listRefs(this.repoId, 'refs/heads/')
    return refs
      .filter((r) => r.oid)
      .map((r) => ({ name: r.name.slice('refs/heads/'.length), oid: r.oid! }))
  }

  async listTags(): Promise<{ name: string; oid: string }[]> {
    const refs = await this.store.listRefs(this.repoId, 'refs/tags/')
    return refs
      .filter((r) => r.oid)
      .map((r) => ({ name: r.name.slice('refs/tags/'.length), oid: r.oid! }))
  }

  async createBranch({
    name,
    from,
  }: {
    name: string
    from?: string
  }): Promise<{ name: string; oid: string }> {
    checkRefName(`refs/heads/${name}`)
    const oid = await this.resolveRef(from)
    try {
      // a commit stored without its whole history (never reachable before) must not become a
      // branch: checked in the transaction that creates it
      await this.store.transaction(async (tx) => {
        // locked first: garbage collection cannot remove the history checked meanwhile
        await tx.lockRef(this.repoId, `refs/heads/${name}`)
        await checkConnected({ store: tx, repoId: this.repoId, tips: [oid] })
        await tx.updateRefs(this.repoId, [{ name: `refs/heads/${name}`, expected: null, oid }])
      })
    } catch (err) {
      if (err instanceof RefConflictError)
        throw new GitPgError('BRANCH_EXISTS', `branch ${name} already exists`, { branch: name })
      throw err
    }
    return { name, oid }
  }

  async deleteBranch(name: string): Promise<void> {
    if (name === this.defaultBranch) {
      throw new GitPgError(
        'DEFAULT_BRANCH',
        `${name} is the default branch and cannot be deleted`,
        { branch: name },
      )
    }
    const oid = await this.readRef(`refs/heads/${name}`)
    if (!oid)
      throw new GitPgError('BRANCH_NOT_FOUND', `branch ${name} does not exist`, { branch: name })
    await this.store.updateRefs(this.repoId, [
      { name: `refs/heads/${name}`, expected: oid, oid: null },
    ])
  }
}

/** Git stores commit messages ending in exactly one newline. */
function normalizeMessage(message: string): string {
  const trimmed = message.replace(/\s+$/, '')
  return trimmed.length > 0 ? `${trimmed}\n` : ''
}
