import type { ObjectType } from '../objects/git-object.ts'
import type { FsckMessageId, FsckProblem } from './fsck-message.ts'
import { fsckIdent } from './fsck-ident.ts'
import { HeaderReader, headerProblem } from './header-reader.ts'

/** git's `fsck_commit`: tree, parents, one author, a committer, each well formed. */
export function fsckCommit(oid: string, content: Buffer): FsckProblem[] {
  const type: ObjectType = 'commit'
  const problems: FsckProblem[] = []
  const report = (id: FsckMessageId, message: string) => {
    problems.push({ oid, type, id, message })
    return problems
  }
  const header = headerProblem(content)
  if (header) return report(...header)
  const r = new HeaderReader(content)
  const tree = r.take('tree')
  if (!tree) return report('missingTree', "invalid format - expected 'tree' line")
  if (!r.isHexOid(tree)) report('badTreeSha1', "invalid 'tree' line format - bad sha1")
  for (let parent = r.take('parent'); parent; parent = r.take('parent'))
    if (!r.isHexOid(parent)) report('badParentSha1', "invalid 'parent' line format - bad sha1")
  let authors = 0
  for (let author = r.take('author'); author; author = r.take('author')) {
    authors++
    const bad = fsckIdent(content, author.start, author.end)
    if (bad) return report(...bad)
  }
  if (authors === 0) return report('missingAuthor', "invalid format - expected 'author' line")
  if (authors > 1) return report('multipleAuthors', "invalid format - multiple 'author' lines")
  const committer = r.take('committer')
  if (!committer) return report('missingCommitter', "invalid format - expected 'committer' line")
  const bad = fsckIdent(content, committer.start, committer.end)
  if (bad) return report(...bad)
  if (content.includes(0)) report('nulInCommit', 'NUL byte in the commit object body')
  return problems
}
