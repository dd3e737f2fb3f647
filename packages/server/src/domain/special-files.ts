import {
  BadObjectError,
  checkGitattributes,
  checkGitmodules,
  hashObject,
  refuses,
  specialKinds,
} from '@gitpg/git-pg-fs'

/**
 * Checks a file written through the API the way git's fsck checks a pushed one when its name
 * makes it special: a `.gitmodules` (in any spelling NTFS or HFS+ reads as one,
 * also after any `\` in the name, as git's `fsck_tree` looks) must hold submodule names, URLs
 * and paths git accepts; a `.gitattributes` must be small enough for git
 * to read. Throws `BadObjectError` (`BAD_OBJECT`) naming the path and git's message id.
 *
 * @example
 * checkSpecialFile({ path: '.gitmodules', content }) // throws on url = --upload-pack=...
 */
export function checkSpecialFile({ path, content }: { path: string; content: Buffer }): void {
  const name = Buffer.from(path.slice(path.lastIndexOf('/') + 1))
  const { gitmodules, gitattributes } = specialKinds(name)
  if (!gitmodules && !gitattributes) return
  const oid = hashObject('blob', content)
  const problems = [
    ...(gitmodules ? checkGitmodules(oid, content) : []),
    ...(gitattributes ? checkGitattributes(oid, content) : []),
  ]
  const problem = problems.find(refuses)
  if (problem)
    throw new BadObjectError(`${path}: ${problem.id}: ${problem.message}`, {
      path,
      oid,
      fsck: problem.id,
    })
}
