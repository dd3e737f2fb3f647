import { spawn } from 'node:child_process'

/**
 * Runs a command without blocking the event loop (the benchmark serves HTTP from the same
 * process), resolving with its stdout; throws with stderr on a non-zero exit.
 *
 * @example
 * const head = (await run('git', ['rev-parse', 'HEAD'], { cwd })).toString().trim()
 */
export function run(
  command: string,
  args: string[],
  { cwd, input, env }: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out))
      else {
        const message = Buffer.concat(err).toString().trim().split('\n').slice(-3).join(' / ')
        reject(new Error(`${command} ${args.slice(0, 3).join(' ')} exited ${code}: ${message}`))
      }
    })
    child.stdin.end(input)
  })
}

/** `git <args>` in `cwd`, stdout as trimmed text. */
export async function git(cwd: string, args: string[], input?: string): Promise<string> {
  return (await run('git', args, { cwd, input })).toString('utf8').trim()
}

/** The author of the benchmark's commits, on git's side and gitpg's. */
export const BENCH_AUTHOR = { name: 'Bench Mark', email: 'bench@example.com' }

/** `git commit -a -q -m <message>` in the work tree `cwd`, by `BENCH_AUTHOR`. */
export function commitAll(cwd: string, message: string): Promise<string> {
  const { name, email } = BENCH_AUTHOR
  return git(cwd, [
    '-c',
    `user.name=${name}`,
    '-c',
    `user.email=${email}`,
    'commit',
    '-a',
    '-q',
    '-m',
    message,
  ])
}
