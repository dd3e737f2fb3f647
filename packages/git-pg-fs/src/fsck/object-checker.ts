import { BadObjectError } from '../errors.ts'
import type { GitObject } from '../objects/git-object.ts'
import type { ObjectInfo } from '../store/git-store.ts'
import {
  checkGitattributes,
  checkGitmodules,
  gitattributesTooLarge,
  gitmodulesTooLarge,
  MAX_GITATTRIBUTES_BYTES,
  MAX_GITMODULES_BYTES,
} from './check-gitmodules.ts'
import { fsckCommit } from './fsck-commit.ts'
import { describeProblem, refuses, type FsckProblem } from './fsck-message.ts'
import { fsckTag } from './fsck-tag.ts'
import { fsckTree, type SpecialBlobs, type TreeEntryVisitor } from './fsck-tree.ts'

/** Special blobs `finish` asks the sizes of at a time. */
const INFO_BATCH = 1000
/** Most special blobs, and most of their bytes, `finish` reads at a time. */
const FINISH_BATCH = 64
const FINISH_BATCH_BYTES = 16 * 1024 * 1024

/** Reads objects by id (those it does not have are simply absent from the answer). */
export type ReadObjects = (oids: string[]) => Promise<Map<string, GitObject>>

/**
 * Where `finish` finds the objects it checks: their type and size first, then their content.
 * Both calls should know the same objects (those received and those stored).
 */
export interface ObjectSource {
  readObjects: ReadObjects
  /** type and size of objects by id, without their content */
  readObjectInfo: (oids: string[]) => Promise<Map<string, ObjectInfo>>
}

/**
 * git's fsck rules for one object, as `git fsck --strict` applies them. A blob is checked as a
 * `.gitmodules` or `.gitattributes` file when `special` lists it (a tree named it so).
 *
 * @example
 * fsckObject(tree) // [{ oid, type: 'tree', id: 'hasDotgit', message: "contains '.git'" }]
 */
export function fsckObject(
  o: GitObject,
  special: SpecialBlobs = { gitmodules: new Set(), gitattributes: new Set() },
  /** told of each entry of a tree (see `TreeEntryVisitor`) */
  visit?: TreeEntryVisitor,
): FsckProblem[] {
  switch (o.type) {
    case 'tree':
      return fsckTree(o.oid, o.content, special, visit)
    case 'commit':
      return fsckCommit(o.oid, o.content)
    case 'tag':
      return fsckTag(o.oid, o.content)
    case 'blob': {
      const problems: FsckProblem[] = []
      if (special.gitmodules.has(o.oid)) problems.push(...checkGitmodules(o.oid, o.content))
      if (special.gitattributes.has(o.oid)) problems.push(...checkGitattributes(o.oid, o.content))
      return problems
    }
  }
}

/** Throws `BadObjectError` for the first problem that refuses its object. */
export function assertNoProblem(problems: readonly FsckProblem[]): void {
  const problem = problems.find(refuses)
  if (problem)
    throw new BadObjectError(describeProblem(problem), {
      oid: problem.oid,
      fsck: problem.id,
    })
}

/**
 * Checks the objects of one push or import, in any order, like git's index-pack with
 * `transfer.fsckObjects`: each object as it comes (`check`), then (`finish`) the `.gitmodules`
 * and `.gitattributes` blobs that trees named but that came before those trees or were stored
 * already. Either throws `BadObjectError` with git's line, e.g.
 * `object 1234…: hasDotgit: contains '.git'`.
 *
 * @example
 * const checker = new ObjectChecker()
 * for (const o of objects) checker.check(o)
 * await checker.finish({
 *   readObjects: (oids) => store.readObjects(repoId, oids),
 *   readObjectInfo: (oids) => store.readObjectInfo(repoId, oids),
 * })
 */
export class ObjectChecker {
  #special: SpecialBlobs = { gitmodules: new Set(), gitattributes: new Set() }
  #done: SpecialBlobs = { gitmodules: new Set(), gitattributes: new Set() }
  #checked = 0

  /** How many objects were checked. */
  get checked(): number {
    return this.#checked
  }

  /** Checks one object; `visit` is told of each entry of a tree (see `TreeEntryVisitor`). */
  check(o: GitObject, visit?: TreeEntryVisitor): void {
    this.#checked++
    if (o.type === 'blob') {
      if (this.#special.gitmodules.has(o.oid)) this.#done.gitmodules.add(o.oid)
      if (this.#special.gitattributes.has(o.oid)) this.#done.gitattributes.add(o.oid)
    }
    assertNoProblem(fsckObject(o, this.#special, visit))
  }

  /** Special blobs named by a checked tree but not checked themselves yet. */
  get unchecked(): string[] {
    const all = new Set<string>()
    for (const oid of this.#special.gitmodules) if (!this.#done.gitmodules.has(oid)) all.add(oid)
    for (const oid of this.#special.gitattributes)
      if (!this.#done.gitattributes.has(oid)) all.add(oid)
    return [...all]
  }

  /**
   * Checks the special blobs not seen yet, from the objects received or the repository. Blobs
   * found nowhere are left to the connectivity check that follows. Given an `ObjectSource`, it
   * learns each blob's type and size first: a `.gitmodules` or `.gitattributes` too large for git
   * to parse is refused unread, and the rest are read in batches of at most 16 MiB. Given only a
   * `ReadObjects`, it reads them one at a time.
   */
  async finish(source: ReadObjects | ObjectSource): Promise<void> {
    const pending = this.unchecked
    if (typeof source === 'function') {
      for (const oid of pending) this.#checkRead(await source([oid]), [oid])
      return
    }
    for (let i = 0; i < pending.length; i += INFO_BATCH) {
      const slice = pending.slice(i, i + INFO_BATCH)
      const info = await source.readObjectInfo(slice)
      let batch: string[] = []
      let bytes = 0
      const flush = async () => {
        if (batch.length > 0) this.#checkRead(await source.readObjects(batch), batch)
        batch = []
        bytes = 0
      }
      for (const oid of slice) {
        const o = info.get(oid)
        if (!o) {
          // not known by size: read alone, so a source whose two calls disagree skips nothing
          this.#checkRead(await source.readObjects([oid]), [oid])
          continue
        }
        this.#refuseUnread(oid, o)
        if (
          batch.length > 0 &&
          (batch.length >= FINISH_BATCH || bytes + o.size > FINISH_BATCH_BYTES)
        )
          await flush()
        batch.push(oid)
        bytes += o.size
      }
      await flush()
    }
  }

  /** Refuses, from its type and size alone, a special blob git would not parse. */
  #refuseUnread(oid: string, info: ObjectInfo): void {
    if (info.type !== 'blob') this.#refuseNonBlob(oid, info.type)
    if (this.#special.gitmodules.has(oid) && info.size > MAX_GITMODULES_BYTES)
      assertNoProblem([gitmodulesTooLarge(oid)])
    if (this.#special.gitattributes.has(oid) && info.size > MAX_GITATTRIBUTES_BYTES)
      assertNoProblem([gitattributesTooLarge(oid)])
  }

  #refuseNonBlob(oid: string, type: string): void {
    const gitmodules = this.#special.gitmodules.has(oid)
    const what = gitmodules ? '.gitmodules' : '.gitattributes'
    assertNoProblem([
      {
        oid,
        type: type as GitObject['type'],
        id: gitmodules ? 'gitmodulesBlob' : 'gitattributesBlob',
        message: `non-blob found at ${what}`,
      },
    ])
  }

  #checkRead(found: Map<string, GitObject>, oids: readonly string[]): void {
    for (const oid of oids) {
      const o = found.get(oid)
      if (!o) continue
      if (o.type !== 'blob') this.#refuseNonBlob(oid, o.type)
      this.check(o)
    }
  }
}
