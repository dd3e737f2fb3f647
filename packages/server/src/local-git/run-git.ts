import { spawn } from 'node:child_process'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export interface RunGitOptions {
  /** bytes for git's stdin, streamed with backpressure */
  input?: string | Buffer | AsyncIterable<Buffer>
  /** collect stdout (default true); off for commands whose output is large and unused */
  stdout?: boolean
}

/**
 * Runs `git ...args` and resolves with its stdout; rejects with git's last stderr line when it
 * fails or when git is not installed.
 *
 * @example
 * const oid = (await runGit(['-C', dir, 'rev-parse', 'HEAD'])).toString().trim()
 */
export function runGit(args: readonly string[], options: RunGitOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.stdout !== false) out.push(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', (e) => reject(new Error(`cannot run git: ${e.message}`)))
    child.on('close', (code) => {
      if (code === 0) return resolve(Buffer.concat(out))
      const lines = Buffer.concat(err).toString('utf8').trim().split('\n')
      const reason = lines.filter((l) => l.startsWith('fatal:') || l.startsWith('error:')).pop()
      reject(new Error(`git ${subcommand(args)}: ${reason ?? lines.pop() ?? `exit ${code}`}`))
    })
    const input = options.input ?? ''
    const source =
      typeof input === 'string' || Buffer.isBuffer(input)
        ? Readable.from([Buffer.from(input)])
        : Readable.from(input)
    // git may exit early (and close stdin) on failure: the exit code tells the story then
    pipeline(source, child.stdin).catch(() => {})
  })
}

/** The git command a call runs (`index-pack` in `git -C dir index-pack --stdin`). */
function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-C' || args[i] === '-c') i++
    else if (!args[i].startsWith('-')) return args[i]
  }
  return args.join(' ')
}
