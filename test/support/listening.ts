import type { ChildProcess } from 'node:child_process'

/**
 * Resolves with the URL a starting gitpg prints (`gitpg listening on http://...`) on `child`'s
 * stdout; rejects with what it printed when it exits first or prints nothing in `timeoutMs`.
 *
 * @example
 * const url = await listeningUrl(spawn('pnpm', ['start'], { stdio: 'pipe' }))
 */
export function listeningUrl(child: ChildProcess, timeoutMs = 60_000): Promise<string> {
  let out = ''
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer)
      reject(new Error(`${why}; it printed:\n${out}`))
    }
    const timer = setTimeout(() => fail(`not listening after ${timeoutMs} ms`), timeoutMs)
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.once('exit', (code) => fail(`exited with ${code}`))
  })
}

/** Resolves when `child` has exited, with its exit code (null when a signal ended it). */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}
