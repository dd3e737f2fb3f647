import { execFileSync } from 'node:child_process'
import { decodePath, encodePath } from '@gitpg/git-pg-fs'

/** One line of `git blame --porcelain`, in the shape the blame route answers with. */
export interface PorcelainLine {
  line: number
  commit: string
  origPath: string
  origLine: number
}

export interface PorcelainCommit {
  author: { name: string; email: string; timestamp: number; timezoneOffset: number }
  committer: { name: string; email: string; timestamp: number; timezoneOffset: number }
  summary: string
  boundary: boolean
  previous: { commit: string; path: string } | null
}

/** A path as porcelain writes it (C-quoted when it holds special bytes), as `decodePath` gives it. */
function unquote(raw: Buffer): string {
  if (raw[0] !== 0x22) return decodePath(raw)
  const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13 }
  const out: number[] = []
  for (let i = 1; i < raw.length - 1; i++) {
    if (raw[i] !== 0x5c) {
      out.push(raw[i])
      continue
    }
    const next = String.fromCharCode(raw[++i])
    if (/[0-7]/.test(next)) {
      out.push(parseInt(raw.toString('latin1', i, i + 3), 8))
      i += 2
    } else out.push(escapes[next] ?? next.charCodeAt(0))
  }
  return decodePath(Buffer.from(out))
}

const zone = (tz: string) =>
  (tz[0] === '-' ? -1 : 1) * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(3, 5)))

/**
 * Runs `git blame --porcelain` and parses it into lines and the commits they name.
 *
 * @example
 * const { lines, commits } = gitBlame({ dir, ref: 'main', path: 'a.txt', range: '2,5' })
 */
export function gitBlame({
  dir,
  ref,
  path,
  range,
}: {
  dir: string
  /** none: the work tree's version, uncommitted changes blamed to 000…0 */
  ref?: string
  path: string
  range?: string
}): { lines: PorcelainLine[]; commits: Record<string, PorcelainCommit> } {
  // a path's exact bytes reach git through printf: an argument string would go as UTF-8
  const octal = [...encodePath(path)].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('')
  const args = [
    'blame',
    '--porcelain',
    ...(range ? ['-L', range] : []),
    ...(ref ? [ref] : []),
    '--',
  ]
  const out = execFileSync('sh', ['-c', `exec git "$@" "$(printf '${octal}')"`, 'sh', ...args], {
    cwd: dir,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    maxBuffer: 256 * 1024 * 1024,
  })
  const lines: PorcelainLine[] = []
  const commits: Record<string, PorcelainCommit> = {}
  const meta: Record<string, Record<string, Buffer>> = {}
  let current: { commit: string; origLine: number; line: number } | null = null
  // a group names its file only when it first shows a commit (or the commit has several paths)
  const filename: Record<string, string> = {}
  let start = 0
  while (start < out.length) {
    let nl = out.indexOf(10, start)
    if (nl < 0) nl = out.length
    const raw = out.subarray(start, nl)
    start = nl + 1
    if (raw[0] === 0x09) {
      lines.push({ ...current!, origPath: filename[current!.commit] })
      continue
    }
    const text = raw.toString('latin1')
    const header = /^([0-9a-f]{40}) (\d+) (\d+)( \d+)?$/.exec(text)
    if (header) {
      current = { commit: header[1], origLine: Number(header[2]), line: Number(header[3]) }
      meta[header[1]] ??= {}
      continue
    }
    const space = text.indexOf(' ')
    const key = space < 0 ? text : text.slice(0, space)
    const value = space < 0 ? Buffer.alloc(0) : raw.subarray(space + 1)
    if (key === 'filename') filename[current!.commit] = unquote(value)
    else meta[current!.commit][key] ??= value
  }
  for (const [oid, m] of Object.entries(meta)) {
    const who = (role: string) => ({
      name: m[role].toString('utf8'),
      email: m[`${role}-mail`].toString('utf8').replace(/^<|>$/g, ''),
      timestamp: Number(m[`${role}-time`].toString()),
      timezoneOffset: zone(m[`${role}-tz`].toString()),
    })
    let previous: PorcelainCommit['previous'] = null
    if (m.previous) {
      const p = m.previous
      previous = { commit: p.toString('latin1', 0, 40), path: unquote(p.subarray(41)) }
    }
    commits[oid] = {
      author: who('author'),
      committer: who('committer'),
      summary: m.summary.toString('utf8'),
      boundary: m.boundary !== undefined,
      previous,
    }
  }
  return { lines, commits }
}
