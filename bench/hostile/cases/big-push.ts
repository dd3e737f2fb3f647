import { spawn } from 'node:child_process'
import { gitUrl } from '../git-requests.ts'
import { createsProject, type HostileCase, type Outcome } from '../hostile-case.ts'
import { randomRepo } from '../payloads.ts'
import { countText, sizeText, timeLimit } from '../sizes.ts'

/** `git push --porcelain` of `gitdir`'s main; resolves with the exit code and both outputs. */
function gitPush(gitdir: string, url: string, signal: AbortSignal) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn('git', ['push', '--porcelain', url, 'refs/heads/main:refs/heads/main'], {
      cwd: gitdir,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
      killSignal: 'SIGKILL',
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4096)))
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4096)))
    child.on('error', () => {})
    child.on('close', (code) => resolve({ code, out, err }))
  })
}

/** What a push said in a line: the ref's status from `--porcelain`, else git's last error. */
function pushResult({
  code,
  out,
  err,
}: {
  code: number | null
  out: string
  err: string
}): Outcome {
  const status = out.split('\n').find((l) => /^[*!=+ -]\t/.test(l))
  const last = err.trim().split('\n').filter(Boolean).slice(-2).join(' / ')
  const detail = status ? status.split('\t').slice(2).join(' ') || status : last
  const text = `git push exit ${code}${detail ? `: ${detail.slice(0, 160)}` : ''}`
  return /HTTP 5\d\d|RPC failed|remote end hung up/.test(err)
    ? { text, fault: 'push failed' }
    : { text }
}

/**
 * A repository of `files` random (incompressible) files, `total` bytes in all, pushed with stock
 * `git push` over smart HTTP to an empty project. The files stay under any sane object size
 * limit (1 GiB ÷ 32 = 32 MiB each).
 */
export function bigPush({
  scale,
  dir,
  total,
  files,
}: {
  scale: number
  dir: string
  total: number
  files: number
}): HostileCase {
  const project = 'hostile-big-push'
  let gitdir = ''
  return {
    name: `push of ${sizeText(total)}: ${countText(files)} random files of ${sizeText(total / files)}`,
    timeoutMs: timeLimit(scale, 300_000),
    maxGrowth: 128 * 2 ** 20,
    async prepare() {
      gitdir = await randomRepo(dir, total, files)
    },
    setup: createsProject(project),
    async run({ url, signal }) {
      return pushResult(await gitPush(gitdir, gitUrl(url, project), signal))
    },
  }
}
