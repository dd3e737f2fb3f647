import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { promisify } from 'node:util'
import { deflate } from 'node:zlib'
import { diffLines, encodePath, splitLines, unifiedHunks } from '@gitpg/git-pg-fs'
import { MAX_SCORE } from '@gitpg/git-pg-fs'
import type { DiffEntry, RenameEntry, Repository } from '@gitpg/git-pg-fs'
import { PatchTooLargeError } from '../errors.ts'
import { isBinary } from './content.ts'

const deflateAsync = promisify(deflate)

const ZERO_OID = '0'.repeat(40)
const B85 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~'

/** Files with more lines than this on either side are not diffed line by line. */
export const DEFAULT_DIFF_MAX_LINES = 100_000

/** Work budget of one file's line diff (a few hundred ms of CPU); past it, no line diff. */
export const DEFAULT_DIFF_MAX_STEPS = 20_000_000

/** Largest patch answered, in bytes; a larger one is `PATCH_TOO_LARGE`. */
export const DEFAULT_PATCH_MAX_BYTES = 64 * 1024 * 1024

/**
 * Bounds on the line diff of one file (a file past them is written as a binary patch), and on
 * the whole patch's size.
 */
export interface PatchLimits {
  maxLines: number
  maxSteps: number
  /** default `DEFAULT_PATCH_MAX_BYTES` */
  maxBytes?: number
}

/**
 * What is left of the patch's byte budget. A file that cannot fit is refused before its text is
 * built, so no single file builds a string far past the budget.
 */
interface Budget {
  maxBytes: number
  /** bytes written so far */
  used: number
  /** files written so far */
  files: number
}

/** Throws `PATCH_TOO_LARGE` if `bytes` more would pass the budget. */
function spend(budget: Budget, bytes: number): void {
  if (budget.used + bytes > budget.maxBytes)
    throw new PatchTooLargeError({ maxBytes: budget.maxBytes, files: budget.files })
}

/** Base85 lines between two yields to the event loop (about 256 KiB of compressed data). */
const LINES_PER_SLICE = 5000

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

/**
 * git's base85 "literal" block: zlib data in lines of up to 52 bytes. Compression runs off the
 * main thread and the encoding yields now and then, so a large file does not stall the server.
 */
async function binaryLiteral(content: Buffer, budget: Budget): Promise<string> {
  const data = await deflateAsync(content)
  // each full 52 bytes become a line of 67 characters
  spend(budget, Math.floor(data.length / 52) * 67)
  const lines = [`literal ${content.length}`]
  for (let i = 0; i < data.length; i += 52) {
    if (lines.length % LINES_PER_SLICE === 0) await yieldToLoop()
    const chunk = data.subarray(i, i + 52)
    const n = chunk.length
    let line = n <= 26 ? String.fromCharCode(64 + n) : String.fromCharCode(96 + n - 26)
    const padded = Buffer.alloc(Math.ceil(n / 4) * 4)
    chunk.copy(padded)
    for (let j = 0; j < padded.length; j += 4) {
      let v = padded.readUInt32BE(j)
      let group = ''
      for (let k = 0; k < 5; k++) {
        group = B85[v % 85] + group
        v = Math.floor(v / 85)
      }
      line += group
    }
    lines.push(line)
  }
  return `${lines.join('\n')}\n\n`
}

/** Whether `content` has more than `max` lines, counted without splitting it. */
function moreLinesThan(content: Buffer, max: number): boolean {
  let lines = 0
  for (let at = content.indexOf(10); at !== -1; at = content.indexOf(10, at + 1))
    if (++lines > max) return true
  return content.length > 0 && content[content.length - 1] !== 10 && lines + 1 > max
}

/**
 * Hunks like `git diff` (3 lines of context), over bytes read as latin1 so any bytes survive;
 * null when the pair is past the limits.
 */
function textHunks({
  oldContent,
  newContent,
  limits,
  budget,
}: {
  oldContent: Buffer
  newContent: Buffer
  limits: PatchLimits
  budget: Budget
}): string | null {
  if (moreLinesThan(oldContent, limits.maxLines) || moreLinesThan(newContent, limits.maxLines))
    return null
  const oldLines = splitLines(oldContent)
  const newLines = splitLines(newContent)
  const diff = diffLines(oldLines, newLines, { maxSteps: limits.maxSteps })
  if (!diff) return null
  // the changed lines alone, each with its `-` or `+`, are a floor of the hunks' size
  let floor = 0
  for (const c of diff.changes) {
    for (let i = c.oldStart; i < c.oldStart + c.oldCount; i++) floor += oldLines[i].length + 1
    for (let i = c.newStart; i < c.newStart + c.newCount; i++) floor += newLines[i].length + 1
  }
  spend(budget, floor)
  return unifiedHunks({ oldLines, newLines, changes: diff.changes })
}

interface Side {
  path: string
  oid: string | null
  mode: string | null
  content: Buffer | null
}

/** What git writes for a rename or copy: `similarity index`, `rename from`, `rename to`. */
interface Origin {
  kind: 'rename' | 'copy'
  similarity: number
}

async function filePatch({
  a,
  b,
  origin,
  limits,
  budget,
}: {
  a: Side
  b: Side
  origin?: Origin
  limits: PatchLimits
  budget: Budget
}): Promise<string> {
  const aPath = a.oid ? a.path : b.path
  const bPath = b.oid ? b.path : a.path
  const oldContent = a.content ?? Buffer.alloc(0)
  const newContent = b.content ?? Buffer.alloc(0)
  const sameContent = a.oid !== null && a.oid === b.oid
  let hunks: string | null = ''
  if (isBinary(oldContent) || isBinary(newContent)) hunks = null
  else if (!sameContent) hunks = textHunks({ oldContent, newContent, limits, budget })
  const binary = hunks === null
  let out = `diff --git ${quote('a/', aPath)} ${quote('b/', bPath)}\n`
  const short = (oid: string | null) => (binary ? (oid ?? ZERO_OID) : (oid ?? ZERO_OID).slice(0, 7))
  if (!a.oid) out += `new file mode ${b.mode}\nindex ${short(null)}..${short(b.oid)}\n`
  else if (!b.oid) out += `deleted file mode ${a.mode}\nindex ${short(a.oid)}..${short(null)}\n`
  else {
    if (a.mode !== b.mode) out += `old mode ${a.mode}\nnew mode ${b.mode}\n`
    if (origin)
      out +=
        `similarity index ${origin.similarity}%\n` +
        `${origin.kind} from ${quote('', a.path)}\n${origin.kind} to ${quote('', b.path)}\n`
    if (sameContent) return out
    out += `index ${short(a.oid)}..${short(b.oid)}${a.mode === b.mode ? ` ${a.mode}` : ''}\n`
  }
  if (hunks === null)
    return `${out}GIT binary patch\n${await binaryLiteral(newContent, budget)}${await binaryLiteral(oldContent, budget)}`
  if (!hunks) return out
  const from = a.oid ? quote('a/', aPath) : '/dev/null'
  const to = b.oid ? quote('b/', bPath) : '/dev/null'
  return `${out}--- ${from}\n+++ ${to}\n${hunks}`
}

/**
 * A unified diff of `changes` (from `repo.diff`) as `git diff --binary` writes it, which
 * `git apply` accepts against the old tree: text hunks with three lines of context, binary
 * files as git binary patches, mode changes, and a type change as a deletion followed by a
 * creation. A text file past `limits` (too many lines, or a line diff over its work budget) is
 * written as a binary patch too. Files are read one at a time and the event loop gets a turn
 * between them; a patch past `limits.maxBytes` stops with `PatchTooLargeError`
 * (`PATCH_TOO_LARGE`), as soon as a file is known not to fit (before its text is built when
 * the size of its changed lines or of its compressed content already says so).
 */
export async function formatPatch({
  repo,
  changes,
  limits = { maxLines: DEFAULT_DIFF_MAX_LINES, maxSteps: DEFAULT_DIFF_MAX_STEPS },
  readBlobs = async (oids) => {
    const objects = await repo.reader.readMany(oids)
    return new Map([...objects].map(([oid, o]) => [oid, o.content]))
  },
}: {
  repo: Repository
  changes: readonly (DiffEntry | RenameEntry)[]
  limits?: PatchLimits
  /** the contents of blobs by id (default: the repository's); for blobs not stored yet */
  readBlobs?: (oids: readonly string[]) => Promise<Map<string, Buffer>>
}): Promise<Buffer> {
  const budget: Budget = { maxBytes: limits.maxBytes ?? DEFAULT_PATCH_MAX_BYTES, used: 0, files: 0 }
  const isBlob = (mode: string | null) => mode !== null && mode !== '160000'
  const none = (path: string): Side => ({ path, oid: null, mode: null, content: null })
  const parts: Buffer[] = []
  for (const c of changes) {
    const blobs = [isBlob(c.oldMode) ? c.oldOid : null, isBlob(c.newMode) ? c.newOid : null].filter(
      (o): o is string => o !== null,
    )
    const contents = await readBlobs(blobs)
    const renamed = 'oldPath' in c && c.oldPath !== null && c.score !== null
    const origin: Origin | undefined = renamed
      ? {
          kind: c.status === 'C' ? 'copy' : 'rename',
          similarity: Math.floor((c.score! * 100) / MAX_SCORE),
        }
      : undefined
    const side = (oid: string | null, mode: string | null, path = c.path): Side => ({
      path,
      oid,
      mode,
      content: oid
        ? isBlob(mode)
          ? (contents.get(oid) ?? null)
          : Buffer.from(`Subproject commit ${oid}\n`)
        : null,
    })
    const a = side(c.oldOid, c.oldMode, renamed ? c.oldPath! : c.path)
    const b = side(c.newOid, c.newMode)
    const text =
      c.status === 'T'
        ? (await filePatch({ a, b: none(c.path), limits, budget })) +
          (await filePatch({ a: none(c.path), b, limits, budget }))
        : await filePatch({ a, b, origin, limits, budget })
    spend(budget, text.length)
    budget.used += text.length
    budget.files++
    parts.push(Buffer.from(text, 'latin1'))
    await yieldToLoop()
  }
  return Buffer.concat(parts, budget.used)
}
