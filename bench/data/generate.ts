import { spawn, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DonorLines } from './edit.ts'
import { FastImportWriter } from './fast-import-writer.ts'
import { HistoryBuilder } from './history.ts'
import { Prng } from './prng.ts'
import { collectSourceFiles, sourceFingerprint, type SourceFile } from './source-files.ts'

/** Bump when the generator changes what it makes; cached data of other versions is ignored. */
export const DATA_VERSION = 'v2'

export type RepoName = 'monorepo' | 'history'

/** What each benchmark repository should look like. */
export const REPO_SPECS: Record<RepoName, { files: number; bytes: number; commits: number }> = {
  /** the large one: ~30,000 files and ~40 MB at HEAD (history edits and deletes trim the 42 MB chosen) */
  monorepo: { files: 30_000, bytes: 42_000_000, commits: 3_000 },
  /** fewer files, the same length of history */
  history: { files: 2_500, bytes: 5_000_000, commits: 3_000 },
}

export interface RepoInfo {
  name: RepoName
  /** the bare repository */
  gitdir: string
  head: string
  commits: number
  files: number
  headBytes: number
  packBytes: number
  generationSeconds: number
}

const ROOT = new URL('../..', import.meta.url).pathname
const STORE_DIR = join(ROOT, 'node_modules/.pnpm')

export function dataDir(): string {
  return join(ROOT, 'bench/.data', `${DATA_VERSION}-${sourceFingerprint(STORE_DIR)}`)
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 }).trim()
}

let sources: ReturnType<typeof collectSourceFiles> | undefined

/** Chooses `count` files near `bytes` in total: whole files first, then pieces of large ones. */
function selectFiles(rng: Prng, count: number, bytes: number, extra: number) {
  sources ??= collectSourceFiles({ storeDir: STORE_DIR, rng: new Prng('gitpg-bench:pieces') })
  const candidates = [...rng.shuffle([...sources.whole]), ...rng.shuffle([...sources.pieces])]
  const chosen: SourceFile[] = []
  const average = bytes / count
  let total = 0
  let i = 0
  for (; i < candidates.length && chosen.length < count + extra; i++) {
    const size = candidates[i].content.length
    // keep the running total on the line towards `bytes`: skip big files when ahead, small behind
    const line = average * (chosen.length + 1)
    if (size > average && total + size > line * 1.02) continue
    if (size < average / 2 && total + size < line * 0.98) continue
    chosen.push(candidates[i])
    total += size
  }
  const donors = new DonorLines(candidates.slice(i, i + 3000).map((f) => f.content))
  return { chosen, donors }
}

async function fastImport(gitdir: string, name: RepoName): Promise<HistoryBuilder> {
  const spec = REPO_SPECS[name]
  const rng = new Prng(`gitpg-bench:${name}`)
  const extra = Math.round(spec.commits * 0.2)
  const { chosen, donors } = selectFiles(rng, spec.files, spec.bytes, extra)
  const child = spawn('git', ['fast-import', '--quiet', '--done'], {
    cwd: gitdir,
    stdio: ['pipe', 'inherit', 'inherit'],
  })
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)))
  const writer = new FastImportWriter(child.stdin)
  const builder = new HistoryBuilder({ rng, writer, donors, files: chosen })
  await builder.build({ commits: spec.commits, initial: Math.round(spec.files * 0.35) })
  await writer.end()
  const code = await exited
  if (code !== 0) throw new Error(`git fast-import exited with ${code}`)
  return builder
}

/** Generates one repository into `gitdir` (bare), packed as a server would hold it. */
async function generate(name: RepoName, gitdir: string): Promise<RepoInfo> {
  const started = performance.now()
  rmSync(gitdir, { recursive: true, force: true })
  mkdirSync(gitdir, { recursive: true })
  git(['init', '--bare', '--quiet', '--initial-branch=main'], gitdir)
  await fastImport(gitdir, name)
  const features = git(['for-each-ref', '--format=%(refname)', 'refs/heads/feature'], gitdir)
  for (const ref of features.split('\n').filter(Boolean)) git(['update-ref', '-d', ref], gitdir)
  git(
    ['-c', 'pack.threads=1', 'repack', '-a', '-d', '-f', '-q', '--window=10', '--depth=50'],
    gitdir,
  )
  const packKb = /size-pack: (\d+)/.exec(git(['count-objects', '-v'], gitdir))?.[1] ?? '0'
  const sizes = git(['ls-tree', '-r', '-l', 'main'], gitdir)
    .split('\n')
    .map((line) => Number(line.split(/\s+/)[3]))
  return {
    name,
    gitdir,
    head: git(['rev-parse', 'main'], gitdir),
    commits: Number(git(['rev-list', '--count', 'main'], gitdir)),
    files: sizes.length,
    headBytes: sizes.reduce((a, b) => a + b, 0),
    packBytes: Number(packKb) * 1024,
    generationSeconds: (performance.now() - started) / 1000,
  }
}

/**
 * The benchmark repository `name`, generated on first use and cached under
 * `bench/.data/<version>-<installed packages fingerprint>/`.
 *
 * @example
 * const repo = await ensureRepo('history') // { gitdir, head, commits, ... }
 */
export async function ensureRepo(name: RepoName, log = console.log): Promise<RepoInfo> {
  const dir = dataDir()
  const marker = join(dir, `${name}.json`)
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as RepoInfo
  log(
    `generating ${name} (${REPO_SPECS[name].files} files, ${REPO_SPECS[name].commits} commits)...`,
  )
  const tmp = join(dir, `${name}.git.tmp`)
  const info = await generate(name, tmp)
  const gitdir = join(dir, `${name}.git`)
  rmSync(gitdir, { recursive: true, force: true })
  renameSync(tmp, gitdir)
  const final = { ...info, gitdir }
  writeFileSync(marker, JSON.stringify(final, null, 2) + '\n')
  log(
    `generated ${name} in ${final.generationSeconds.toFixed(1)} s: ${final.commits} commits, ` +
      `${final.files} files, ${(final.headBytes / 1e6).toFixed(1)} MB at HEAD, ` +
      `pack ${(final.packBytes / 1e6).toFixed(1)} MB, head ${final.head.slice(0, 12)}`,
  )
  return final
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names: RepoName[] = process.argv.includes('--quick') ? ['history'] : ['history', 'monorepo']
  const started = performance.now()
  for (const name of names) await ensureRepo(name)
  console.log(
    `bench data ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${dataDir()}`,
  )
}
