import { spawn } from 'node:child_process'
import { dirname } from 'node:path'

/** An environment that keeps the user's and the system's git config out of the tests. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
}

export interface GitRunOptions {
  /** bytes written to git's stdin */
  input?: Buffer | string
  /** extra environment variables (author/committer dates and the like) */
  env?: Record<string, string>
}

/**
 * Runs `git -C dir ...args` and resolves with its stdout; rejects with stderr when git fails.
 *
 * @example
 * const pack = await git(dir, ['pack-objects', '--all', '--stdout'], { input: '' })
 */
export function git(
  dir: string,
  args: readonly string[],
  options: GitRunOptions = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', dir, ...args], {
      env: { ...GIT_ENV, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out))
      else {
        const stderr = Buffer.concat(err).toString('utf8').trim()
        reject(new Error(`git ${args.join(' ')} exited with ${code}: ${stderr}`))
      }
    })
    child.stdin.on('error', () => {})
    child.stdin.end(options.input ?? '')
  })
}

/** Like `git`, decoded as UTF-8. */
export async function gitOutput(
  dir: string,
  args: readonly string[],
  options?: GitRunOptions,
): Promise<string> {
  return (await git(dir, args, options)).toString('utf8')
}

/** Splits NUL-terminated (`-z`) output into its records. */
export function splitZ(output: string): string[] {
  const parts = output.split('\0')
  if (parts[parts.length - 1] === '') parts.pop()
  return parts
}

/** Output lines without the trailing empty one. */
export function lines(output: string): string[] {
  return output.split('\n').filter((l) => l !== '')
}

/**
 * A pack of every object reachable from any ref, as `git fetch` would receive it.
 * `ofsDelta: false` makes git use ref-deltas instead of offset deltas.
 */
export function packRepo(
  dir: string,
  { ofsDelta = true }: { ofsDelta?: boolean } = {},
): Promise<Buffer> {
  const args = ['pack-objects', '--all', '--stdout', '-q']
  if (ofsDelta) args.push('--delta-base-offset')
  return git(dir, args, { input: '' })
}

export interface GitRef {
  name: string
  /** the ref's value: for an annotated tag, the tag object's id */
  oid: string
}

/** Every ref of the repository (not HEAD), sorted by name. */
export async function gitRefs(dir: string): Promise<GitRef[]> {
  const out = await gitOutput(dir, ['for-each-ref', '--format=%(objectname) %(refname)'])
  return lines(out).map((l) => ({ oid: l.slice(0, 40), name: l.slice(41) }))
}

export interface CatFileObject {
  oid: string
  type: string
  content: Buffer
}

/** Reads many objects with one `git cat-file --batch`. */
export async function catFileBatch(
  dir: string,
  oids: readonly string[],
): Promise<Map<string, CatFileObject>> {
  const out = await git(dir, ['cat-file', '--batch'], { input: oids.map((o) => `${o}\n`).join('') })
  const objects = new Map<string, CatFileObject>()
  let i = 0
  while (i < out.length) {
    const nl = out.indexOf(0x0a, i)
    const [oid, type, size] = out.toString('utf8', i, nl).split(' ')
    if (type === 'missing') throw new Error(`git cat-file: ${oid} missing`)
    const start = nl + 1
    const end = start + Number(size)
    objects.set(oid, { oid, type, content: out.subarray(start, end) })
    i = end + 1
  }
  return objects
}

export interface LsTreeEntry {
  mode: string
  type: string
  oid: string
  /** blob size; null for submodules */
  size: number | null
  path: string
}

/** `git ls-tree -r --long` of a commit, in git's order. */
export async function lsTree(
  dir: string,
  rev: string,
  paths: readonly string[] = [],
): Promise<LsTreeEntry[]> {
  const args = ['ls-tree', '-r', '-z', '--long', '--full-tree', rev]
  if (paths.length > 0) args.push('--', ...paths)
  const out = await gitOutput(dir, args)
  return splitZ(out).map((record) => {
    const tab = record.indexOf('\t')
    const [mode, type, oid, size] = record.slice(0, tab).split(/ +/)
    return {
      mode,
      type,
      oid,
      size: size === '-' ? null : Number(size),
      path: record.slice(tab + 1),
    }
  })
}

export interface RawDiffEntry {
  status: string
  path: string
  oldMode: string | null
  newMode: string | null
  oldOid: string | null
  newOid: string | null
}

const ZERO_OID = '0'.repeat(40)

/** `git diff --raw --no-renames` between two commits, as name-status with modes and ids. */
export async function rawDiff(dir: string, from: string, to: string): Promise<RawDiffEntry[]> {
  const out = await gitOutput(dir, [
    'diff',
    '--raw',
    '-z',
    '--no-renames',
    '--no-abbrev',
    '--no-ext-diff',
    '--ignore-submodules=none',
    from,
    to,
  ])
  const parts = splitZ(out)
  const entries: RawDiffEntry[] = []
  for (let i = 0; i < parts.length; i += 2) {
    const [oldMode, newMode, oldOid, newOid, status] = parts[i].slice(1).split(' ')
    entries.push({
      status,
      path: parts[i + 1],
      oldMode: oldMode === '000000' ? null : oldMode,
      newMode: newMode === '000000' ? null : newMode,
      oldOid: oldOid === ZERO_OID ? null : oldOid,
      newOid: newOid === ZERO_OID ? null : newOid,
    })
  }
  return entries
}

/**
 * `git clone -q` of `url` into `dir` (run from its parent) with `transfer.fsckObjects`, so
 * index-pack checks every object received strictly; resolves with `dir`.
 *
 * @example
 * await fsckStrict(await cloneStrict({ url: remote('p'), dir: join(tmp, 'c'), args: ['--mirror'] }))
 */
export async function cloneStrict({
  url,
  dir,
  args = [],
}: {
  url: string
  dir: string
  args?: readonly string[]
}): Promise<string> {
  await git(dirname(dir), ['-c', 'transfer.fsckObjects=true', 'clone', '-q', ...args, url, dir])
  return dir
}
