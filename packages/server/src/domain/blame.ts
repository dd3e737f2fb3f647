import {
  blameFile,
  DEFAULT_BLAME_LIMITS,
  GitPgError,
  Mailmap,
  NOT_COMMITTED,
  PathNotFoundError,
  type BlameLimits,
  type BlameLine,
  type Repository,
  type Signature,
} from '@gitpg/git-pg-fs'
import type { PendingStore } from '../store/pending-store.ts'

/** What porcelain blame shows of a commit the first time one of its lines comes. */
export interface BlameCommit {
  author: Signature
  committer: Signature
  /** the first line of the message that is not blank, or `(<oid>)` */
  summary: string
  /** the commit has no parent */
  boundary: boolean
  /** the version of the file the commit changed, when it had one */
  previous: { commit: string; path: string } | null
}

export interface BlameAnswer {
  /** the commit blamed from */
  head: string
  /** the blob blamed */
  oid: string
  lineCount: number
  lines: BlameLine[]
  commits: Map<string, BlameCommit>
}

/**
 * `git blame --porcelain <ref> [-L start,end] -- <path>` over the repository, its lines and
 * the commits they name. With `userId`, that user's pending version of the file is blamed as git
 * blames a changed file of a work tree: its new lines belong to the commit `000…0`, "Not
 * Committed Yet"; a pending deletion is `PATH_NOT_FOUND`.
 *
 * @example
 * const answer = await blame({ repo, path: 'src/app.ts', start: 10, end: 20 })
 */
export async function blame({
  repo,
  ref,
  path,
  start,
  end,
  limits,
  pending,
  userId,
}: {
  repo: Repository
  ref?: string
  path: string
  start?: number
  end?: number
  limits?: Partial<BlameLimits>
  pending?: PendingStore
  userId?: string
}): Promise<BlameAnswer> {
  const [head, overlay] = await Promise.all([
    repo.resolveRef(ref),
    userId && pending ? pending.read(repo.repoId, userId, [path]) : Promise.resolve([]),
  ])
  const mine = overlay.find((p) => p.path === path)
  if (mine && mine.content === null) throw new PathNotFoundError(path)
  const uncommitted = mine?.content ? { oid: mine.oid!, content: mine.content } : undefined
  const result = await blameFile({
    reader: repo.reader,
    head,
    path,
    start,
    end,
    limits: { ...DEFAULT_BLAME_LIMITS, ...limits },
    uncommitted,
  })
  const oids = [...new Set(result.lines.map((l) => l.commit))]
  const [parsed, mailmap] = await Promise.all([
    repo.reader.commits(oids.filter((oid) => oid !== NOT_COMMITTED)),
    readMailmap(repo),
  ])
  const commits = new Map<string, BlameCommit>()
  for (const l of result.lines) {
    if (commits.has(l.commit)) continue
    if (l.commit === NOT_COMMITTED) {
      commits.set(l.commit, notCommitted({ path, l, savedAt: mine!.updatedAt }))
      continue
    }
    const c = parsed.get(l.commit)!
    commits.set(l.commit, {
      author: mailmap ? mailmap.map(c.author) : c.author,
      committer: mailmap ? mailmap.map(c.committer) : c.committer,
      summary: summaryOf(c.message, l.commit),
      boundary: l.boundary,
      previous: l.previous,
    })
  }
  return { head, oid: result.oid, lineCount: result.lineCount, lines: result.lines, commits }
}

/** Where git blame takes the mailmap in a bare repository: `HEAD:.mailmap`. */
const MAILMAP_PATH = '.mailmap'
const MAILMAP_MAX_BYTES = 1024 * 1024

/** The default branch's `.mailmap`, as git blame applies it to names and emails; null if none. */
async function readMailmap(repo: Repository): Promise<Mailmap | null> {
  try {
    const { files } = await repo.readFiles({ paths: [MAILMAP_PATH] })
    const file = files[0]
    if (!file || file.mode === '120000' || file.size > MAILMAP_MAX_BYTES) return null
    return new Mailmap(file.content)
  } catch (err) {
    if (err instanceof GitPgError && err.code === 'REF_NOT_FOUND') return null
    throw err
  }
}

/** What git blame shows for lines of a work tree not committed yet (its fake commit). */
function notCommitted({
  path,
  l,
  savedAt,
}: {
  path: string
  l: BlameLine
  savedAt: Date
}): BlameCommit {
  const who: Signature = {
    name: 'Not Committed Yet',
    email: 'not.committed.yet',
    timestamp: Math.floor(savedAt.getTime() / 1000),
    timezoneOffset: 0,
  }
  return {
    author: who,
    committer: who,
    summary: `Version of ${path} from ${path}`,
    boundary: false,
    previous: l.previous,
  }
}

/** git's `find_commit_subject`: the first line after any blank ones. */
export function summaryOf(message: string, oid: string): string {
  const lines = message.split('\n')
  let i = 0
  while (i < lines.length - 1 && /^\s*$/.test(lines[i])) i++
  const subject = lines[i] ?? ''
  return subject.length > 0 ? subject : `(${oid})`
}
