import { refuses, type FsckMessageId, type FsckProblem } from './fsck-message.ts'
import { ConfigParseError, parseGitConfig } from './parse-git-config.ts'

const isSep = (c: string | undefined) => c === '/' || c === '\\'

/** git's `check_submodule_name`: not empty, and no `..` component (`/` or `\` separated). */
export function submoduleNameOk(name: string): boolean {
  if (name === '') return false
  for (let i = 0; i <= name.length; i++) {
    if (i > 0 && !isSep(name[i - 1])) continue
    if (name[i] === '.' && name[i + 1] === '.' && (i + 2 === name.length || isSep(name[i + 2])))
      return false
  }
  return true
}

const startsWithDotSlash = (s: string) => s[0] === '.' && isSep(s[1])
const startsWithDotDotSlash = (s: string) => s[0] === '.' && startsWithDotSlash(s.slice(1))

function urlDecode(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
}

/** The URL git-remote-curl would be given, for http(s)/ftp(s) URLs; null for other transports. */
function curlUrl(url: string): string | null {
  for (const p of ['http::', 'https::', 'ftp::', 'ftps::'])
    if (url.startsWith(p)) return url.slice(p.length)
  for (const p of ['http://', 'https://', 'ftp://', 'ftps://']) if (url.startsWith(p)) return url
  return null
}

/**
 * git's `check_submodule_url`: no leading `-` (it would reach a command line as an option); a
 * relative or `git://` URL may neither hold a newline once decoded nor climb with `../` into the
 * host part; an http(s)/ftp(s) URL must name a host and hold no newline.
 */
export function submoduleUrlOk(url: string): boolean {
  if (url.startsWith('-')) return false
  if (startsWithDotSlash(url) || startsWithDotDotSlash(url) || url.startsWith('git://')) {
    if (urlDecode(url).includes('\n')) return false
    let rest = url
    let climbs = 0
    for (;;) {
      if (startsWithDotDotSlash(rest)) {
        climbs++
        rest = rest.slice(3)
      } else if (startsWithDotSlash(rest)) rest = rest.slice(2)
      else break
    }
    return !(climbs > 0 && (rest[0] === ':' || rest[0] === '/'))
  }
  const curl = curlUrl(url)
  if (curl === null) return true
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(curl)
  if (!m) return false
  const authority = m[2]
  const host = authority.slice(authority.lastIndexOf('@') + 1)
  if (host === '') return false
  return !urlDecode(curl).includes('\n')
}

/**
 * The largest `.gitmodules` read. git reports `gitmodulesLarge` for one it did not load into
 * memory; gitpg loads none larger than git's own limit on the other file fsck parses,
 * `.gitattributes` (100 MiB), and refuses a larger one unread.
 */
export const MAX_GITMODULES_BYTES = 100 * 1024 * 1024

/** Bytes of a value quoted in a message; the rest is cut. */
const MESSAGE_VALUE_BYTES = 200

/** `value`, cut to about 200 bytes so a message never carries a whole blob. */
function shown(value: string): string {
  if (value.length <= MESSAGE_VALUE_BYTES) return value
  return `${value.slice(0, MESSAGE_VALUE_BYTES)}... (${Buffer.byteLength(value)} bytes)`
}

/** The problem git reports for a `.gitmodules` blob too large to parse, read or not. */
export function gitmodulesTooLarge(oid: string): FsckProblem {
  return { oid, type: 'blob', id: 'gitmodulesLarge', message: '.gitmodules too large to parse' }
}

/**
 * git's checks on a `.gitmodules` blob (`fsck_gitmodules_fn`): each submodule's name, `url`,
 * `path` and `update` as git would read them. Text git cannot parse is only `gitmodulesParse`,
 * which git reports without refusing. Stops at the first problem that refuses the blob.
 */
export function checkGitmodules(oid: string, content: Buffer): FsckProblem[] {
  if (content.length > MAX_GITMODULES_BYTES) return [gitmodulesTooLarge(oid)]
  const problems: FsckProblem[] = []
  const report = (id: FsckMessageId, message: string) => {
    const problem: FsckProblem = { oid, type: 'blob', id, message }
    problems.push(problem)
    return refuses(problem)
  }
  try {
    for (const e of parseGitConfig(content)) {
      if (e.section !== 'submodule' || e.subsection === null) continue
      if (!submoduleNameOk(e.subsection))
        if (report('gitmodulesName', `disallowed submodule name: ${shown(e.subsection)}`)) break
      if (e.value === null) continue
      const v = e.value
      if (e.key === 'url' && !submoduleUrlOk(v))
        if (report('gitmodulesUrl', `disallowed submodule url: ${shown(v)}`)) break
      if (e.key === 'path' && v.startsWith('-'))
        if (report('gitmodulesPath', `disallowed submodule path: ${shown(v)}`)) break
      if (e.key === 'update' && v.startsWith('!'))
        if (report('gitmodulesUpdate', `disallowed submodule update setting: ${shown(v)}`)) break
    }
  } catch (err) {
    if (!(err instanceof ConfigParseError)) throw err
    report('gitmodulesParse', 'could not parse gitmodules blob')
  }
  return problems
}

/** git's attribute-file limits: larger files and longer lines are refused, not parsed. */
export const MAX_GITATTRIBUTES_BYTES = 100 * 1024 * 1024
export const MAX_GITATTRIBUTES_LINE = 2048

/** The problem git reports for a `.gitattributes` blob too large to parse, read or not. */
export function gitattributesTooLarge(oid: string): FsckProblem {
  return {
    oid,
    type: 'blob',
    id: 'gitattributesLarge',
    message: '.gitattributes too large to parse',
  }
}

/** git's checks on a `.gitattributes` blob: its size and line lengths. */
export function checkGitattributes(oid: string, content: Buffer): FsckProblem[] {
  if (content.length > MAX_GITATTRIBUTES_BYTES) return [gitattributesTooLarge(oid)]
  const end = content.indexOf(0) < 0 ? content.length : content.indexOf(0)
  for (let start = 0; start < end;) {
    let eol = content.indexOf(0x0a, start)
    if (eol < 0 || eol > end) eol = end
    if (eol - start >= MAX_GITATTRIBUTES_LINE)
      return [
        {
          oid,
          type: 'blob',
          id: 'gitattributesLineLength',
          message: '.gitattributes has too long lines to parse',
        },
      ]
    start = eol + 1
  }
  return []
}
