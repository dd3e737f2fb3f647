import { ObjectNotFoundError } from '../errors.ts'
import { importPack } from '../pack/import-pack.ts'
import { classifyGitdirPath, GITDIR_SKELETON, type GitdirPath } from '../paths/gitdir-path.ts'
import { checkRefName } from '../refs/check-ref-name.ts'
import type { GitStore, RefRecord } from '../store/git-store.ts'
import { fsError, type FsErrorCode } from './fs-error.ts'
import { decodeLooseObject, encodeLooseObject } from './loose-object.ts'
import { inodeOf, PgStats } from './pg-stats.ts'
import { formatRefFile, parsePackedRefs, parseRefFile } from './ref-file.ts'

type Node = { type: 'dir' } | { type: 'file'; size: number; ino: number; mtimeMs: number }

const DIR: Node = { type: 'dir' }
const SKELETON = new Set(GITDIR_SKELETON)
/** Kinds that are directories by their shape alone and are never removed. */
const FIXED_DIRS = new Set<GitdirPath['kind']>([
  'root',
  'objects-dir',
  'object-fanout',
  'pack-dir',
  'refs-dir',
])

const parentOf = (rel: string) =>
  rel === '' ? null : rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : ''
const under = (rel: string) => (rel === '' ? '' : `${rel}/`)

/** The next path component below `dir` of every path in `paths` that lies below it. */
function childNames(dir: string, paths: Iterable<string>, into: Set<string>) {
  const prefix = under(dir)
  for (const p of paths) {
    if (p.length > prefix.length && p.startsWith(prefix))
      into.add(p.slice(prefix.length).split('/')[0])
  }
}

/**
 * One repository's gitdir as files: loose objects and exploded packs in `git_objects`, `HEAD` and
 * `refs/**` in `git_refs`, other files (config, shallow, ...) in `git_files`. Directories are
 * implicit (key prefixes, the fixed skeleton, and empty ones made by `mkdir` in this instance).
 *
 * A ref written to an object the store does not hold yet (isomorphic-git's fetch writes refs
 * before the pack) stays pending in memory and is stored once its object arrives, so no stored ref
 * ever points at a missing object.
 *
 * Paths passed in are relative to the gitdir root; `display` is the caller's path for messages.
 */
export class GitdirFs {
  readonly #store: GitStore
  readonly #repoId: number
  /** empty directories made with mkdir; they live as long as this instance */
  readonly #dirs = new Set<string>()
  /** ref name → oid, for refs whose object has not arrived */
  readonly #pending = new Map<string, string>()
  /** stats of paths written through this instance: a new inode and a later mtime per write */
  readonly #written = new Map<string, { ino: number; mtimeMs: number }>()
  #clock = 0
  #nextIno = 0x80000000

  constructor({ store, repoId }: { store: GitStore; repoId: number }) {
    this.#store = store
    this.#repoId = repoId
  }

  /** Refs written to objects not stored yet. */
  pendingRefs(): string[] {
    return [...this.#pending.keys()].sort()
  }

  async stat(rel: string, display: string): Promise<PgStats> {
    const node = await this.#lookup(rel)
    if (!node) throw await this.#absent(rel, 'stat', display)
    if (node.type === 'dir') {
      return new PgStats({ type: 'dir', size: 0, ino: inodeOf(`dir:${rel}`), mtimeMs: this.#clock })
    }
    // Both parts count: a write through this instance, and a change seen in the store.
    const written = this.#written.get(rel) ?? { ino: 0, mtimeMs: 0 }
    return new PgStats({
      type: 'file',
      size: node.size,
      ino: (node.ino ^ written.ino) >>> 0,
      mtimeMs: Math.max(node.mtimeMs, written.mtimeMs),
    })
  }

  async readFile(rel: string, display: string): Promise<Buffer> {
    const at = classifyGitdirPath(rel)
    if (SKELETON.has(rel) || FIXED_DIRS.has(at.kind)) throw fsError('EISDIR', 'read', display)
    let content: Buffer | null = null
    if (at.kind === 'object') {
      const object = (await this.#store.readObjects(this.#repoId, [at.oid])).get(at.oid)
      if (object) content = encodeLooseObject(object)
    } else if (at.kind === 'head' || at.kind === 'ref') {
      const ref = await this.#readRef(at.kind === 'head' ? 'HEAD' : at.name)
      if (ref) content = Buffer.from(formatRefFile(ref))
    } else if (at.kind === 'file') {
      content = (await this.#store.readFile(this.#repoId, at.path))?.content ?? null
    }
    if (content) return content
    if ((await this.#lookup(rel))?.type === 'dir') throw fsError('EISDIR', 'read', display)
    throw await this.#absent(rel, 'open', display)
  }

  async writeFile(rel: string, data: Buffer, display: string): Promise<void> {
    const at = classifyGitdirPath(rel)
    if (SKELETON.has(rel) || FIXED_DIRS.has(at.kind)) throw fsError('EISDIR', 'open', display)
    switch (at.kind) {
      case 'object':
        await this.#storeObjects(async (tx) => {
          await tx.writeObjects(this.#repoId, [decodeLooseObject(data, at.oid)])
        })
        return
      case 'pack-file':
        // Packs are exploded into objects; their index, .keep and the like have nothing to add.
        if (at.ext === 'pack') {
          await this.#storeObjects(async (tx) => {
            await importPack({ store: tx, repoId: this.#repoId, pack: data })
          })
        }
        return
      case 'packed-refs':
        for (const [name, oid] of parsePackedRefs(data.toString('utf8'))) {
          await this.#writeRef(name, { oid }, `${display} (${name})`)
        }
        return
      case 'head':
      case 'ref': {
        const name = at.kind === 'head' ? 'HEAD' : at.name
        const value = parseRefFile(data.toString('utf8'))
        if (!value) throw fsError('EINVAL', 'write', display, 'not an object id or "ref: <name>"')
        await this.#assertWritable(rel, display)
        await this.#writeRef(name, value, display)
        break
      }
      case 'file':
        await this.#assertWritable(rel, display)
        await this.#store.writeFile(this.#repoId, at.path, data)
        break
    }
    this.#touch(rel)
  }

  async unlink(rel: string, display: string): Promise<void> {
    const at = classifyGitdirPath(rel)
    const node = await this.#lookup(rel)
    if (!node) throw await this.#absent(rel, 'unlink', display)
    if (node.type === 'dir') throw fsError('EISDIR', 'unlink', display)
    if (at.kind === 'object') throw fsError('EPERM', 'unlink', display, 'objects are never deleted')
    if (at.kind === 'head' || at.kind === 'ref') {
      const name = at.kind === 'head' ? 'HEAD' : at.name
      this.#pending.delete(name)
      await this.#store.updateRefs(this.#repoId, [{ name, oid: null }])
    } else if (at.kind === 'file') {
      await this.#store.deleteFile(this.#repoId, at.path)
    }
    this.#written.delete(rel)
    this.#tick()
  }

  async readdir(rel: string, display: string): Promise<string[]> {
    const node = await this.#lookup(rel)
    if (!node) throw await this.#absent(rel, 'scandir', display)
    if (node.type !== 'dir') throw fsError('ENOTDIR', 'scandir', display)
    const names = new Set<string>()
    childNames(rel, GITDIR_SKELETON, names)
    childNames(rel, this.#dirs, names)
    childNames(rel, await this.#store.listFiles(this.#repoId), names)
    if (rel === '' && (await this.#readRef('HEAD'))) names.add('HEAD')
    if (rel === 'refs' || rel.startsWith('refs/')) {
      const refs = await this.#store.listRefs(this.#repoId, `${rel}/`)
      childNames(rel, [...refs.map((r) => r.name), ...this.#pending.keys()], names)
    }
    return [...names].sort()
  }

  async mkdir(rel: string, display: string, recursive: boolean): Promise<void> {
    const node = await this.#lookup(rel)
    if (node) {
      if (recursive && node.type === 'dir') return
      throw fsError('EEXIST', 'mkdir', display)
    }
    const at = classifyGitdirPath(rel)
    if (at.kind !== 'ref' && at.kind !== 'file') throw fsError('EPERM', 'mkdir', display)
    const parent = parentOf(rel) ?? ''
    const up = await this.#lookup(parent)
    if (up?.type === 'file') throw fsError('ENOTDIR', 'mkdir', display)
    if (!up) {
      if (!recursive) throw await this.#absent(rel, 'mkdir', display)
      await this.mkdir(parent, display, true)
    }
    this.#dirs.add(rel)
    this.#tick()
  }

  async rmdir(rel: string, display: string): Promise<void> {
    const node = await this.#lookup(rel)
    if (!node) throw await this.#absent(rel, 'rmdir', display)
    if (node.type !== 'dir') throw fsError('ENOTDIR', 'rmdir', display)
    if ((await this.readdir(rel, display)).length > 0) throw fsError('ENOTEMPTY', 'rmdir', display)
    if (SKELETON.has(rel) || FIXED_DIRS.has(classifyGitdirPath(rel).kind)) {
      throw fsError('EPERM', 'rmdir', display, 'a directory every repository has')
    }
    this.#dirs.delete(rel)
    this.#tick()
  }

  /** What is at `rel`: a directory, a file with its stat values, or null. */
  async #lookup(rel: string): Promise<Node | null> {
    const at = classifyGitdirPath(rel)
    if (SKELETON.has(rel) || FIXED_DIRS.has(at.kind)) return DIR
    switch (at.kind) {
      case 'object': {
        const has = await this.#store.hasObjects(this.#repoId, [at.oid])
        // The size of the deflated file is not known without reading the object.
        return has.has(at.oid) ? { type: 'file', size: 0, ino: inodeOf(at.oid), mtimeMs: 0 } : null
      }
      case 'pack-file':
      case 'packed-refs':
        return null
      case 'head':
      case 'ref': {
        const ref = await this.#readRef(at.kind === 'head' ? 'HEAD' : at.name)
        if (ref) {
          const text = formatRefFile(ref)
          return { type: 'file', size: text.length, ino: inodeOf(`${rel}:${text}`), mtimeMs: 0 }
        }
        return at.kind === 'ref' && (await this.#isRefDir(at.name)) ? DIR : null
      }
      case 'file': {
        const file = await this.#store.readFile(this.#repoId, at.path)
        if (file) {
          const mtimeMs = file.updatedAt.getTime()
          return {
            type: 'file',
            size: file.content.length,
            ino: inodeOf(`${rel}@${mtimeMs}`),
            mtimeMs,
          }
        }
        if (this.#hasMadeDir(rel)) return DIR
        const files = await this.#store.listFiles(this.#repoId)
        return files.some((p) => p.startsWith(`${rel}/`)) ? DIR : null
      }
    }
    return null
  }

  async #isRefDir(name: string): Promise<boolean> {
    if (this.#hasMadeDir(name)) return true
    if ([...this.#pending.keys()].some((p) => p.startsWith(`${name}/`))) return true
    return (await this.#store.listRefs(this.#repoId, `${name}/`)).length > 0
  }

  #hasMadeDir(rel: string): boolean {
    if (this.#dirs.has(rel)) return true
    for (const d of this.#dirs) if (d.startsWith(`${rel}/`)) return true
    return false
  }

  /** Node's answer for a missing path: ENOTDIR when some ancestor is a file, else ENOENT. */
  async #absent(rel: string, syscall: string, display: string): Promise<Error> {
    return fsError(await this.#absentCode(rel), syscall, display)
  }

  async #absentCode(rel: string): Promise<FsErrorCode> {
    for (let p = parentOf(rel); p !== null; p = parentOf(p)) {
      const node = await this.#lookup(p)
      if (node) return node.type === 'dir' ? 'ENOENT' : 'ENOTDIR'
    }
    return 'ENOENT'
  }

  /** A file may be written unless it is a directory or a file sits where a directory should. */
  async #assertWritable(rel: string, display: string) {
    if ((await this.#lookup(rel))?.type === 'dir') throw fsError('EISDIR', 'open', display)
    if ((await this.#absentCode(rel)) === 'ENOTDIR') throw fsError('ENOTDIR', 'open', display)
  }

  async #readRef(name: string): Promise<RefRecord | null> {
    const pending = this.#pending.get(name)
    if (pending) return { name, oid: pending, target: null }
    return this.#store.readRef(this.#repoId, name)
  }

  async #writeRef(name: string, value: { oid?: string; target?: string }, display: string) {
    if (name !== 'HEAD') checkRefName(name)
    if (value.target !== undefined) {
      checkRefName(value.target)
      this.#pending.delete(name)
      await this.#store.updateRefs(this.#repoId, [{ name, oid: null, target: value.target }])
      return
    }
    const oid = value.oid
    if (oid === undefined) throw fsError('EINVAL', 'write', display)
    try {
      await this.#store.updateRefs(this.#repoId, [{ name, oid }])
      this.#pending.delete(name)
    } catch (err) {
      if (!(err instanceof ObjectNotFoundError)) throw err
      this.#pending.set(name, oid)
    }
  }

  /**
   * Writes objects, then stores the pending refs they complete, in one transaction.
   * isomorphic-git writes each object, then the refs, in transactions of their own: an object it
   * writes that was already stored, unreachable, is skipped, and garbage collection may remove it
   * before the ref that reaches it moves (objects stored after the collector's snapshot are never
   * removed). Only the prune age protects those, as git's grace period protects the loose
   * objects a command reuses; a run with `--prune=now` alongside such a writer may remove them.
   */
  async #storeObjects(write: (tx: GitStore) => Promise<void>) {
    const stored = await this.#store.transaction(async (tx) => {
      await write(tx)
      if (this.#pending.size === 0) return []
      const have = await tx.hasObjects(this.#repoId, [...this.#pending.values()])
      const ready = [...this.#pending].filter(([, oid]) => have.has(oid))
      if (ready.length > 0) {
        await tx.updateRefs(
          this.#repoId,
          ready.map(([name, oid]) => ({ name, oid })),
        )
      }
      return ready
    })
    for (const [name, oid] of stored)
      if (this.#pending.get(name) === oid) this.#pending.delete(name)
    this.#tick()
  }

  #tick(): number {
    // Strictly increasing, a microsecond apart at least, so every write changes the stat values.
    this.#clock = Math.max(Date.now(), this.#clock + 0.001)
    return this.#clock
  }

  #touch(rel: string) {
    this.#written.set(rel, { ino: this.#nextIno++, mtimeMs: this.#tick() })
  }
}
