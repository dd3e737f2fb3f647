import { BadObjectError } from '../errors.ts'
import type { GitObject } from '../objects/git-object.ts'
import { checkGitattributes, checkGitmodules } from './check-gitmodules.ts'
import { fsckCommit } from './fsck-commit.ts'
import { describeProblem, refuses, type FsckProblem } from './fsck-message.ts'
import { fsckTag } from './fsck-tag.ts'
import { fsckTree, type SpecialBlobs } from './fsck-tree.ts'

/** Special blobs read at a time by `finish`, so many of them never sit in memory at once. */
const FINISH_BATCH = 64

/** Reads objects by id (those it does not have are simply absent from the answer). */
export type ReadObjects = (oids: string[]) => Promise<Map<string, GitObject>>

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
): FsckProblem[] {
  switch (o.type) {
    case 'tree':
      return fsckTree(o.oid, o.content, special)
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
 * await checker.finish((oids) => store.readObjects(repoId, oids))
 */
export class ObjectChecker {
  #special: SpecialBlobs = { gitmodules: new Set(), gitattributes: new Set() }
  #done: SpecialBlobs = { gitmodules: new Set(), gitattributes: new Set() }
  #checked = 0

  /** How many objects were checked. */
  get checked(): number {
    return this.#checked
  }

  check(o: GitObject): void {
    this.#checked++
    if (o.type === 'blob') {
      if (this.#special.gitmodules.has(o.oid)) this.#done.gitmodules.add(o.oid)
      if (this.#special.gitattributes.has(o.oid)) this.#done.gitattributes.add(o.oid)
    }
    assertNoProblem(fsckObject(o, this.#special))
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
   * Checks the special blobs not seen yet, read with `read` (from the objects received or the
   * repository). Blobs found nowhere are left to the connectivity check that follows.
   */
  async finish(read: ReadObjects): Promise<void> {
    const pending = this.unchecked
    for (let i = 0; i < pending.length; i += FINISH_BATCH) {
      const batch = pending.slice(i, i + FINISH_BATCH)
      const found = await read(batch)
      for (const oid of batch) {
        const o = found.get(oid)
        if (!o) continue
        if (o.type !== 'blob') {
          const gitmodules = this.#special.gitmodules.has(oid)
          const what = gitmodules ? '.gitmodules' : '.gitattributes'
          assertNoProblem([
            {
              oid,
              type: o.type,
              id: gitmodules ? 'gitmodulesBlob' : 'gitattributesBlob',
              message: `non-blob found at ${what}`,
            },
          ])
        }
        this.check(o)
      }
    }
  }
}
