import { BadObjectError } from '../errors.ts'
import { formatSignature, parseSignature, type Signature } from './commit.ts'
import type { ObjectType } from './git-object.ts'

/** An annotated tag object. */
export interface AnnotatedTag {
  /** the object tagged */
  object: string
  /** its type */
  type: ObjectType
  /** the tag's name (without `refs/tags/`) */
  tag: string
  /** absent in some old tags */
  tagger: Signature | null
  /** the message as stored (git ends a non-empty one with a newline) */
  message: string
}

/**
 * Serialises an annotated tag exactly as `git tag -a` writes one: the four headers, a blank
 * line, then the message as given (clean it up first as git does, see `cleanMessage`).
 *
 * @example
 * makeObject('tag', serializeTag({ object, type: 'commit', tag: 'v1', tagger, message: 'v1\n' }))
 */
export function serializeTag(tag: AnnotatedTag): Buffer {
  const lines = [`object ${tag.object}`, `type ${tag.type}`, `tag ${tag.tag}`]
  if (tag.tagger) lines.push(`tagger ${formatSignature(tag.tagger)}`)
  return Buffer.from(`${lines.join('\n')}\n\n${tag.message}`)
}

/**
 * Parses an annotated tag object: its headers and message (a signature, when there is one, stays
 * part of the message, as `git cat-file` shows it).
 */
export function parseAnnotatedTag(content: Buffer): AnnotatedTag {
  const text = content.toString('utf8')
  const split = text.indexOf('\n\n')
  const head = split < 0 ? text : text.slice(0, split)
  const headers = new Map<string, string>()
  for (const line of head.split('\n')) {
    const sp = line.indexOf(' ')
    if (sp > 0 && !headers.has(line.slice(0, sp)))
      headers.set(line.slice(0, sp), line.slice(sp + 1))
  }
  const object = headers.get('object')
  const type = headers.get('type')
  if (!object || !type || !['commit', 'tree', 'blob', 'tag'].includes(type))
    throw new BadObjectError('malformed tag')
  const tagger = headers.get('tagger')
  return {
    object,
    type: type as ObjectType,
    tag: headers.get('tag') ?? '',
    tagger: tagger ? parseSignature(tagger) : null,
    message: split < 0 ? '' : text.slice(split + 2),
  }
}
