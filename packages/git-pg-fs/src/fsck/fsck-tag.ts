import { refNameProblem } from '../refs/check-ref-name.ts'
import type { FsckMessageId, FsckProblem } from './fsck-message.ts'
import { HeaderReader, headerProblem } from './header-reader.ts'
import { fsckIdent } from './fsck-ident.ts'

const TYPES = new Set(['commit', 'tree', 'blob', 'tag'])

/** git's `fsck_tag`: object, type, tag name, tagger (missing only in very old tags). */
export function fsckTag(oid: string, content: Buffer): FsckProblem[] {
  const problems: FsckProblem[] = []
  const report = (id: FsckMessageId, message: string) => {
    problems.push({ oid, type: 'tag', id, message })
    return problems
  }
  const header = headerProblem(content)
  if (header) return report(...header)
  const r = new HeaderReader(content)
  const object = r.take('object')
  if (!object) return report('missingObject', "invalid format - expected 'object' line")
  if (!r.isHexOid(object)) return report('badObjectSha1', "invalid 'object' line format - bad sha1")
  const type = r.take('type')
  if (!type) return report('missingTypeEntry', "invalid format - expected 'type' line")
  if (!TYPES.has(r.text(type))) return report('badType', "invalid 'type' value")
  const tag = r.take('tag')
  if (!tag) return report('missingTagEntry', "invalid format - expected 'tag' line")
  const name = r.text(tag)
  if (refNameProblem(`refs/tags/${name}`)) report('badTagName', `invalid 'tag' name: ${name}`)
  const tagger = r.take('tagger')
  if (!tagger) report('missingTaggerEntry', "invalid format - expected 'tagger' line")
  else {
    const bad = fsckIdent(content, tagger.start, tagger.end)
    if (bad) return report(...bad)
  }
  if (!r.atEnd && !r.atBody && !r.take('gpgsig'))
    report('extraHeaderEntry', "invalid format - extra header(s) after 'tagger'")
  return problems
}
