import { PathNotFoundError } from '../errors.ts'
import type { ObjectReader } from '../repo/object-reader.ts'
import { blameHunks, type DiffBudget } from './blame-diff.ts'
import { sortEntries, splitByHunks, type BlameEntry } from './blame-entries.ts'
import { tooCostly, type BlameLimits } from './blame-limits.ts'
import { OriginTable, type BlameOrigin } from './blame-origin.ts'
import { CommitQueue } from './commit-queue.ts'
import { FileVersions } from './file-versions.ts'
import { countLines, lineRange } from './line-range.ts'
import { findOrigin, findRename, type OriginSearch } from './find-origin.ts'
import { PathIndex } from './path-index.ts'

/** The commit id git blame gives lines not committed yet. */
export const NOT_COMMITTED = '0'.repeat(40)

/** How many of the file's largest versions one rename search may read, in bytes. */
const RENAME_BYTES_PER_VERSION = 4

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
  uncommitted,
}: {
  reader: ObjectReader
  head: string
  path: string
  start?: number
  end?: number
  limits: BlameLimits
  /**
   * content not committed yet (a user's pending version), blamed as git blames a changed file
   * of a work tree: a commit `NOT_COMMITTED` on top of `head` holds it
   */
  uncommitted?: { oid: string; content: Buffer }
}): Promise<BlameResult> {
  const graph = await reader.commitGraph([head])
  const paths = new PathIndex({ reader, graph })
  const entry = await paths.entry(head, path)
  const isFile = entry !== null && entry.type === 'blob'
  if (!isFile && !uncommitted) throw new PathNotFoundError(path)
  if (uncommitted) {
    const tree = graph.get(head)!.tree
    graph.set(NOT_COMMITTED, { oid: NOT_COMMITTED, tree, parents: [head], time: Infinity })
  }
  const versions = new FileVersions({ reader, paths, limits, uncommitted })
  const blob = (origin: BlameOrigin) => versions.content(origin)
  const origins = new OriginTable()
  // a rename search compares the file with the deleted ones: a few versions' worth of bytes
  const renameMaxBytes = RENAME_BYTES_PER_VERSION * limits.maxBytes
  const search: OriginSearch = { reader, graph, paths, origins, renameMaxBytes }
  const final = uncommitted
    ? origins.get({
        commit: NOT_COMMITTED,
        path,
        blob: uncommitted.oid,
        mode: isFile ? entry.mode : '100644',
      })
    : origins.get({ commit: head, path, blob: entry!.oid, mode: entry!.mode })
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
  if (final.suspects.length > 0) queue.push(final.commit, time(final.commit))
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
  return { oid: final.blob, lineCount, lines }
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
