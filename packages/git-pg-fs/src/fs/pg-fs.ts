import { Volume } from 'memfs'
import { normalizePath, relativeToGitdir } from '../paths/gitdir-path.ts'
import type { GitStore } from '../store/git-store.ts'
import { fsError } from './fs-error.ts'
import { GitdirFs } from './gitdir-fs.ts'

export type ReadFileOptions =
  BufferEncoding | { encoding?: BufferEncoding | null; flag?: string } | null
export type WriteFileOptions =
  BufferEncoding | { encoding?: BufferEncoding | null; mode?: number } | null

/** The stat values isomorphic-git reads, for gitdir and work-tree paths alike. */
export interface FsStats {
  isFile(): boolean
  isDirectory(): boolean
  isSymbolicLink(): boolean
  mode: number
  size: number
  ino: number
  uid: number
  gid: number
  dev: number
  mtimeMs: number
  ctimeMs: number
}

/** The promise fs API isomorphic-git calls. */
export interface PgFsPromises {
  readFile(path: string, options?: ReadFileOptions): Promise<Buffer | string>
  writeFile(path: string, data: Uint8Array | string, options?: WriteFileOptions): Promise<void>
  unlink(path: string): Promise<void>
  readdir(path: string): Promise<string[]>
  mkdir(path: string, options?: { recursive?: boolean } | number): Promise<void>
  rmdir(path: string): Promise<void>
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>
  stat(path: string): Promise<FsStats>
  lstat(path: string): Promise<FsStats>
  readlink(path: string): Promise<string>
  symlink(target: string, path: string): Promise<void>
}

export interface PgFs {
  promises: PgFsPromises
  /** Refs written to objects that have not been stored yet (see `GitdirFs`). */
  pendingRefs(): string[]
}

const encodingOf = (options: ReadFileOptions | WriteFileOptions | undefined) =>
  (typeof options === 'string' ? options : options?.encoding) ?? null

function checkPath(path: unknown, syscall: string): string {
  if (typeof path !== 'string' || path === '') {
    throw Object.assign(new TypeError(`${syscall}: path must be a non-empty string`), {
      code: 'ERR_INVALID_ARG_TYPE',
    })
  }
  return path
}

/**
 * An fs for isomorphic-git over one repository in the git store. Paths under `gitdir` map to the
 * store (loose objects and written packs to `git_objects`, `HEAD` and `refs/**` to `git_refs`,
 * other files to `git_files`); every other path lives in an in-memory volume, for work trees.
 *
 * @example
 * const fs = createPgFs({ store, repoId: repo.repoId })
 * await git.log({ fs, gitdir: '/repo.git', ref: 'main' })
 */
export function createPgFs({
  store,
  repoId,
  gitdir = '/repo.git',
}: {
  store: GitStore
  repoId: number
  gitdir?: string
}): PgFs {
  const root = normalizePath(gitdir)
  const repo = new GitdirFs({ store, repoId })
  const volume = new Volume()
  volume.mkdirSync(root, { recursive: true })
  const work = volume.promises

  /** Runs `inGitdir` with the path relative to the gitdir, or `inWorktree` for other paths. */
  const route = <T>(
    path: unknown,
    syscall: string,
    inGitdir: (rel: string, display: string) => Promise<T>,
    inWorktree: (path: string) => Promise<T>,
  ): Promise<T> => {
    const p = checkPath(path, syscall)
    const rel = relativeToGitdir(root, p)
    return rel === null ? inWorktree(normalizePath(p)) : inGitdir(rel, p)
  }

  const promises: PgFsPromises = {
    async readFile(path, options) {
      const encoding = encodingOf(options)
      const data = await route(
        path,
        'open',
        (rel, display) => repo.readFile(rel, display),
        async (p) => Buffer.from((await work.readFile(p)) as Buffer),
      )
      return encoding ? data.toString(encoding) : data
    },
    async writeFile(path, data, options) {
      const bytes =
        typeof data === 'string'
          ? Buffer.from(data, encodingOf(options) ?? 'utf8')
          : Buffer.from(data)
      await route(
        path,
        'open',
        (rel, display) => repo.writeFile(rel, bytes, display),
        (p) => work.writeFile(p, bytes),
      )
    },
    async unlink(path) {
      await route(
        path,
        'unlink',
        (rel, display) => repo.unlink(rel, display),
        (p) => work.unlink(p),
      )
    },
    async readdir(path) {
      return route(
        path,
        'scandir',
        (rel, display) => repo.readdir(rel, display),
        async (p) => ((await work.readdir(p)) as string[]).map(String),
      )
    },
    async mkdir(path, options) {
      const recursive = typeof options === 'object' && options?.recursive === true
      await route(
        path,
        'mkdir',
        (rel, display) => repo.mkdir(rel, display, recursive),
        async (p) => {
          await work.mkdir(p, { recursive })
        },
      )
    },
    async rmdir(path) {
      await route(
        path,
        'rmdir',
        (rel, display) => repo.rmdir(rel, display),
        (p) => work.rmdir(p),
      )
    },
    async rm(path, options = {}) {
      await route(
        path,
        'rm',
        async (rel, display) => {
          // A failing clone removes the whole gitdir; the repository is never removed through here.
          const stats = await repo.stat(rel, display).catch((err: { code?: string }) => {
            if (options.force && err.code === 'ENOENT') return null
            throw err
          })
          if (!stats) return
          if (stats.isDirectory()) {
            throw fsError(
              options.recursive ? 'EPERM' : 'EISDIR',
              'rm',
              display,
              'refusing to remove a gitdir directory',
            )
          }
          await repo.unlink(rel, display)
        },
        (p) => work.rm(p, options),
      )
    },
    async stat(path) {
      return route<FsStats>(
        path,
        'stat',
        (rel, display) => repo.stat(rel, display),
        (p) => workStat(p, false),
      )
    },
    async lstat(path) {
      return route<FsStats>(
        path,
        'lstat',
        (rel, display) => repo.stat(rel, display),
        (p) => workStat(p, true),
      )
    },
    async readlink(path) {
      return route(
        path,
        'readlink',
        async (rel, display) => {
          await repo.stat(rel, display)
          throw fsError('EINVAL', 'readlink', display)
        },
        async (p) => String(await work.readlink(p)),
      )
    },
    async symlink(target, path) {
      await route(
        path,
        'symlink',
        async (_rel, display) => {
          throw fsError('EPERM', 'symlink', display, 'no symbolic links in a gitdir')
        },
        (p) => work.symlink(target, p),
      )
    },
  }

  async function workStat(p: string, link: boolean): Promise<FsStats> {
    const s = link ? await work.lstat(p) : await work.stat(p)
    return s as unknown as FsStats
  }

  return { promises, pendingRefs: () => repo.pendingRefs() }
}
