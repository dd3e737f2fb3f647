import { BadObjectError } from '../errors.ts'

export interface Signature {
  name: string
  email: string
  /** seconds since the epoch */
  timestamp: number
  /** minutes east of UTC, as isomorphic-git reports it negated: we keep git's sign (+0100 → 60) */
  timezoneOffset: number
}

export interface Commit {
  tree: string
  parents: string[]
  author: Signature
  committer: Signature
  message: string
  /** headers other than tree/parent/author/committer, kept verbatim (gpgsig, encoding, mergetag) */
  extraHeaders: string
}

/** Parses `Name <email> 1700000000 +0100`. */
export function parseSignature(value: string): Signature {
  const m = /^(.*) <(.*)> (-?\d+) ([+-])(\d\d)(\d\d)$/.exec(value)
  if (!m) throw new BadObjectError(`malformed signature: ${value}`)
  const minutes = Number(m[5]) * 60 + Number(m[6])
  return {
    name: m[1],
    email: m[2],
    timestamp: Number(m[3]),
    timezoneOffset: m[4] === '-' ? -minutes : minutes,
  }
}

export function formatSignature(sig: Signature): string {
  const abs = Math.abs(sig.timezoneOffset)
  const sign = sig.timezoneOffset < 0 ? '-' : '+'
  const tz = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`
  return `${sig.name} <${sig.email}> ${sig.timestamp} ${tz}`
}

/** Parses a raw commit object. */
export function parseCommit(content: Buffer): Commit {
  const text = content.toString('utf8')
  const split = text.indexOf('\n\n')
  const head = split < 0 ? text : text.slice(0, split)
  const message = split < 0 ? '' : text.slice(split + 2)
  let tree = ''
  const parents: string[] = []
  let author: Signature | undefined
  let committer: Signature | undefined
  const extra: string[] = []
  for (const line of head.split('\n')) {
    if (line.startsWith(' ')) {
      extra.push(line)
      continue
    }
    const sp = line.indexOf(' ')
    const key = line.slice(0, sp)
    const value = line.slice(sp + 1)
    if (key === 'tree') tree = value
    else if (key === 'parent') parents.push(value)
    else if (key === 'author') author = parseSignature(value)
    else if (key === 'committer') committer = parseSignature(value)
    else extra.push(line)
  }
  if (!tree || !author || !committer) throw new BadObjectError('malformed commit')
  return { tree, parents, author, committer, message, extraHeaders: extra.join('\n') }
}

/** Serialises a commit exactly as git writes one. */
export function serializeCommit(
  commit: Omit<Commit, 'extraHeaders'> & { extraHeaders?: string },
): Buffer {
  const lines = [`tree ${commit.tree}`]
  for (const p of commit.parents) lines.push(`parent ${p}`)
  lines.push(`author ${formatSignature(commit.author)}`)
  lines.push(`committer ${formatSignature(commit.committer)}`)
  if (commit.extraHeaders) lines.push(commit.extraHeaders)
  return Buffer.from(`${lines.join('\n')}\n\n${commit.message}`)
}

export interface Tag {
  object: string
  type: string
  tag: string
}

/** Reads the target of an annotated tag. */
export function parseTag(content: Buffer): Tag {
  const text = content.toString('utf8')
  const get = (key: string) => new RegExp(`^${key} (.*)$`, 'm').exec(text)?.[1] ?? ''
  const object = get('object')
  if (!object) throw new BadObjectError('malformed tag')
  return { object, type: get('type'), tag: get('tag') }
}
