import { deflateSync } from 'node:zlib'
import { structuredPatch } from 'diff'
import { encodePath, type DiffEntry, type Repository } from '@gitpg/git-pg-fs'
import { isBinary } from './content.ts'

const ZERO_OID = '0'.repeat(40)
const B85 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~'

/** A path as git prints it in a diff header: C-quoted when it holds special bytes. */
function quote(prefix: string, path: string): string {
  const bytes = encodePath(prefix + path)
  if (!bytes.some((b) => b < 0x20 || b >= 0x7f || b === 0x22 || b === 0x5c)) return prefix + path
  let out = '"'
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`
    else if (b === 0x09) out += '\\t'
    else if (b === 0x0a) out += '\\n'
    else if (b < 0x20 || b >= 0x7f) out += `\\${b.toString(8).padStart(3, '0')}`
    else out += String.fromCharCode(b)
  }
  return `${out}"`
}

/** git's base85 "literal" block: zlib data in lines of up to 52 bytes. */
function binaryLiteral(content: Buffer): string {
  const data = deflateSync(content)
  const lines = [`literal ${content.length}`]
  for (let i = 0; i < data.length; i += 52) {
    const chunk = data.subarray(i, i + 52)
    const n = chunk.length
    let line = n <= 26 ? String.fromCharCode(64 + n) : String.fromCharCode(96 + n - 26)
    const padded = Buffer.alloc(Math.ceil(n / 4) * 4)
    chunk.copy(padded)
    for (let j = 0; j < padded.length; j += 4) {
      let v = padded.readUInt32BE(j)
      const group: string[] = []
      for (let k = 0; k < 5; k++) {
        group.unshift(B85[v % 85])
        v = Math.floor(v / 85)
      }
      line += group.join('')
    }
    lines.push(line)
  }
  return `${lines.join('\n')}\n\n`
}

/** A hunk range as git writes it: the count is left out when it is 1. */
const range = (start: number, lines: number) => (lines === 1 ? `${start}` : `${start},${lines}`)

/**
 * git's default hunk heading: the nearest line at or above `from` (0-based) that starts with a
 * letter, `_` or `$`, cut to 80 bytes, trailing white space removed.
 */
function funcLine(lines: readonly string[], from: number): string | null {
  for (let i = Math.min(from, lines.length - 1); i >= 0; i--) {
    if (/^[A-Za-z_$]/.test(lines[i])) return lines[i].slice(0, 80).replace(/[ \t\n\v\f\r]+$/, '')
  }
  return null
}

/** Hunks like `git diff` (3 lines of context), over bytes read as latin1 so any bytes survive. */
function textHunks(oldText: string, newText: string): string {
  const patch = structuredPatch('a', 'b', oldText, newText, '', '', { context: 3 })
  const oldLines = oldText.split('\n')
  let out = ''
  for (const h of patch.hunks) {
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart
    const first = h.oldLines === 0 ? oldStart : oldStart - 1
    const heading = funcLine(oldLines, first - 1)
    out += `@@ -${range(oldStart, h.oldLines)} +${range(newStart, h.newLines)} @@${heading ? ` ${heading}` : ''}\n`
    for (const line of h.lines) out += `${line}\n`
  }
  return out
}

interface Side {
  path: string
  oid: string | null
  mode: string | null
  content: Buffer | null
}

function filePatch(a: Side, b: Side): string {
  const path = a.oid ? a.path : b.path
  let out = `diff --git ${quote('a/', path)} ${quote('b/', path)}\n`
  const binary = (a.content && isBinary(a.content)) || (b.content && isBinary(b.content))
  const short = (oid: string | null) => (binary ? (oid ?? ZERO_OID) : (oid ?? ZERO_OID).slice(0, 7))
  if (!a.oid) out += `new file mode ${b.mode}\nindex ${short(null)}..${short(b.oid)}\n`
  else if (!b.oid) out += `deleted file mode ${a.mode}\nindex ${short(a.oid)}..${short(null)}\n`
  else {
    if (a.mode !== b.mode) out += `old mode ${a.mode}\nnew mode ${b.mode}\n`
    if (a.oid === b.oid) return out
    out += `index ${short(a.oid)}..${short(b.oid)}${a.mode === b.mode ? ` ${a.mode}` : ''}\n`
  }
  const oldContent = a.content ?? Buffer.alloc(0)
  const newContent = b.content ?? Buffer.alloc(0)
  if (binary)
    return `${out}GIT binary patch\n${binaryLiteral(newContent)}${binaryLiteral(oldContent)}`
  const hunks = textHunks(oldContent.toString('latin1'), newContent.toString('latin1'))
  if (!hunks) return out
  const from = a.oid ? quote('a/', path) : '/dev/null'
  const to = b.oid ? quote('b/', path) : '/dev/null'
  return `${out}--- ${from}\n+++ ${to}\n${hunks}`
}

/**
 * A unified diff of `changes` (from `repo.diff`) that `git apply` accepts against the old tree:
 * text hunks with three lines of context, binary files as git binary patches, mode changes, and
 * a type change as a deletion followed by a creation, as `git diff` shows them.
 */
export async function formatPatch({
  repo,
  changes,
}: {
  repo: Repository
  changes: readonly DiffEntry[]
}): Promise<Buffer> {
  const isBlob = (mode: string | null) => mode !== null && mode !== '160000'
  const oids = changes.flatMap((c) => [c.oldOid, c.newOid]).filter((o): o is string => o !== null)
  const objects = await repo.reader.readMany(oids)
  const side = (path: string, oid: string | null, mode: string | null): Side => ({
    path,
    oid,
    mode,
    content: oid
      ? isBlob(mode)
        ? (objects.get(oid)?.content ?? null)
        : Buffer.from(`Subproject commit ${oid}\n`)
      : null,
  })
  const none = (path: string): Side => ({ path, oid: null, mode: null, content: null })
  let out = ''
  for (const c of changes) {
    const a = side(c.path, c.oldOid, c.oldMode)
    const b = side(c.path, c.newOid, c.newMode)
    if (c.status === 'T') out += filePatch(a, none(c.path)) + filePatch(none(c.path), b)
    else out += filePatch(a, b)
  }
  return Buffer.from(out, 'latin1')
}
