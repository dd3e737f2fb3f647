import {
  blameFile,
  DEFAULT_BLAME_LIMITS,
  type BlameLimits,
  type BlameLine,
  type Repository,
  type Signature,
} from '@gitpg/git-pg-fs'

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
 * the commits they name.
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
}: {
  repo: Repository
  ref?: string
  path: string
  start?: number
  end?: number
  limits?: Partial<BlameLimits>
}): Promise<BlameAnswer> {
  const head = await repo.resolveRef(ref)
  const result = await blameFile({
    reader: repo.reader,
    head,
    path,
    start,
    end,
    limits: { ...DEFAULT_BLAME_LIMITS, ...limits },
  })
  const oids = [...new Set(result.lines.map((l) => l.commit))]
  const parsed = await repo.reader.commits(oids)
  const commits = new Map<string, BlameCommit>()
  for (const l of result.lines) {
    if (commits.has(l.commit)) continue
    const c = parsed.get(l.commit)!
    commits.set(l.commit, {
      author: c.author,
      committer: c.committer,
      summary: summaryOf(c.message, l.commit),
      boundary: l.boundary,
      previous: l.previous,
    })
  }
  return { head, oid: result.oid, lineCount: result.lineCount, lines: result.lines, commits }
}

/** git's `find_commit_subject`: the first line after any blank ones. */
export function summaryOf(message: string, oid: string): string {
  const lines = message.split('\n')
  let i = 0
  while (i < lines.length - 1 && /^\s*$/.test(lines[i])) i++
  const subject = lines[i] ?? ''
  return subject.length > 0 ? subject : `(${oid})`
}
