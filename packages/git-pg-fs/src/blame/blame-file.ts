import { GitPgError, PathNotFoundError } from '../errors.ts'
import type { ObjectReader } from '../repo/object-reader.ts'
import { blameHunks, type DiffBudget } from './blame-diff.ts'
import { sortEntries, splitByHunks, type BlameEntry } from './blame-entries.ts'
import { tooCostly, tooLarge, type BlameLimits } from './blame-limits.ts'
import { OriginTable, type BlameOrigin } from './blame-origin.ts'
import { CommitQueue } from './commit-queue.ts'
import { findOrigin, findRename, type OriginSearch } from './find-origin.ts'
import { PathIndex } from './path-index.ts'

/** One line of the blamed file: the commit that wrote it, and its path and line there. */
export interface BlameLine {
  /** 1-based line of the blamed file */
  line: number
  commit: string
  origPath: string
  /** 1-based line in `origPath` at `commit` */
  origLine: number
  /** the origin's parent version, as porcelain's `previous` shows it */
  previous: { commit: string; path: string } | null
  /** the commit has no parent (porcelain's `boundary`) */
  boundary: boolean
}

export interface BlameResult {
  /** the blob blamed */
  oid: string
  /** lines of the whole file */
  lineCount: number
  lines: BlameLine[]
}

/** Lines as git counts them: a last line without its newline still counts. */
export function countLines(content: Buffer): number {
  let n = 0
  for (let i = content.indexOf(10); i >= 0; i = content.indexOf(10, i + 1)) n++
  return content.length > 0 && content[content.length - 1] !== 10 ? n + 1 : n
}

/**
 * `git blame --porcelain <head> -- <path>` (with `-L start,end`): walks history from `head`
 * newest first, diffs each version of the file against its parents' as git does, passes the
 * lines a parent already had to it, and follows the file across whole-file renames; the lines
 * left with a version belong to its commit. Work is bounded by `limits`.
 *
 * @example
 * const { lines } = await blameFile({ reader, head, path: 'src/app.ts', limits })
 */
export async function blameFile({
  reader,
  head,
  path,
  start,
  end,
  limits,
}: {
  reader: ObjectReader
  head: string
  path: string
  start?: number
  end?: number
  limits: BlameLimits
}): Promise<BlameResult> {
  const graph = await reader.commitGraph([head])
  const paths = new PathIndex({ reader, graph })
  const entry = await paths.entry(head, path)
  if (!entry || entry.type !== 'blob') throw new PathNotFoundError(path)
  const blob = async (origin: BlameOrigin) => {
    const o = await reader.read(origin.blob, 'blob')
    if (o.content.length > limits.maxBytes)
      throw tooLarge(origin.path, o.content.length, limits.maxBytes)
    return o.content
  }
  const origins = new OriginTable()
  const search: OriginSearch = { reader, graph, paths, origins }
  const final = origins.get({ commit: head, path, blob: entry.oid, mode: entry.mode })
  const lineCount = countLines(await blob(final))
  const range = lineRange({ path, lineCount, start, end })
  if (range.count > 0)
    final.suspects = [{ lno: range.first, sLno: range.first, count: range.count }]

  const queue = new CommitQueue()
  const time = (oid: string) => graph.get(oid)!.time
  const queueBlames = (porigin: BlameOrigin, entries: BlameEntry[]) => {
    if (entries.length === 0) return
    if (!origins.of(porigin.commit).some((o) => o.suspects.length > 0))
      queue.push(porigin.commit, time(porigin.commit))
    porigin.suspects = sortEntries([...porigin.suspects, ...entries])
  }
  const budget: DiffBudget = { steps: limits.maxSteps }
  const passToParent = async (origin: BlameOrigin, parent: BlameOrigin) => {
    if (origin.suspects.length === 0) return
    const hunks = blameHunks(await blob(parent), await blob(origin), budget)
    if (!hunks) throw tooCostly('steps of line diff', limits.maxSteps, 'GITPG_BLAME_MAX_STEPS')
    const { passed, kept } = splitByHunks(origin.suspects, hunks)
    origin.suspects = kept
    queueBlames(parent, passed)
  }

  const guilty: { entry: BlameEntry; origin: BlameOrigin }[] = []
  let walked = 0
  if (final.suspects.length > 0) queue.push(head, time(head))
  let commit = queue.pop()
  while (commit !== undefined) {
    const suspect = origins.of(commit).find((o) => o.suspects.length > 0)
    if (!suspect) {
      commit = queue.pop()
      continue
    }
    if (++walked > limits.maxCommits)
      throw tooCostly('commits of history', limits.maxCommits, 'GITPG_BLAME_MAX_COMMITS')
    await passBlame({ search, origin: suspect, queueBlames, passToParent })
    for (const e of suspect.suspects) guilty.push({ entry: e, origin: suspect })
    suspect.suspects = []
  }

  const lines: BlameLine[] = []
  for (const { entry: e, origin } of guilty) {
    const previous = origin.previous
      ? { commit: origin.previous.commit, path: origin.previous.path }
      : null
    const boundary = !graph.get(origin.commit)!.parents.some((p) => graph.has(p))
    for (let k = 0; k < e.count; k++)
      lines.push({
        line: e.lno + k + 1,
        commit: origin.commit,
        origPath: origin.path,
        origLine: e.sLno + k + 1,
        previous,
        boundary,
      })
  }
  lines.sort((a, b) => a.line - b.line)
  return { oid: entry.oid, lineCount, lines }
}

/**
 * git's pass_blame: a parent holding the very same blob takes every line; else each parent
 * holding the file (under its path, or the path it was renamed from), one blob once, in parent
 * order, takes the lines it already had.
 */
async function passBlame({
  search,
  origin,
  queueBlames,
  passToParent,
}: {
  search: OriginSearch
  origin: BlameOrigin
  queueBlames: (porigin: BlameOrigin, entries: BlameEntry[]) => void
  passToParent: (origin: BlameOrigin, parent: BlameOrigin) => Promise<void>
}): Promise<void> {
  const parents = search.graph.get(origin.commit)!.parents.filter((p) => search.graph.has(p))
  const found: (BlameOrigin | null)[] = parents.map(() => null)
  for (const find of [findOrigin, findRename]) {
    for (let i = 0; i < parents.length; i++) {
      if (found[i]) continue
      const porigin = await find(search, parents[i], origin)
      if (!porigin) continue
      if (porigin.blob === origin.blob) {
        const whole = origin.suspects
        origin.suspects = []
        queueBlames(porigin, whole)
        return
      }
      if (!found.slice(0, i).some((o) => o?.blob === porigin.blob)) found[i] = porigin
    }
  }
  for (const porigin of found) {
    if (!porigin) continue
    origin.previous ??= porigin
    await passToParent(origin, porigin)
    if (origin.suspects.length === 0) return
  }
}

/** The 0-based first line and count of `-L start,end`, checked as git checks it. */
function lineRange({
  path,
  lineCount,
  start,
  end,
}: {
  path: string
  lineCount: number
  start?: number
  end?: number
}): { first: number; count: number } {
  if (start !== undefined && end !== undefined && end < start) [start, end] = [end, start]
  const asked = start !== undefined || end !== undefined
  if (asked && (lineCount === 0 || lineCount < (start ?? 1)))
    throw new GitPgError('LINE_OUT_OF_RANGE', `file ${path} has only ${lineCount} lines`, {
      path,
      lineCount,
    })
  const bottom = Math.max(1, start ?? 1)
  const top = end === undefined || end > lineCount ? lineCount : end
  return { first: bottom - 1, count: Math.max(0, top - bottom + 1) }
}
