import { main } from '../../src/cli/main.ts'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs `gitpg <args>` in this process through the CLI's `main`, with `env` laid over the
 * environment (an `undefined` value removes a variable) and its output captured. Calls must not
 * overlap: the environment and the output streams are the process's.
 *
 * @example
 * const { code, stdout } = await runCli({ args: ['export', 'p', dir], env: { DATABASE_URL: url } })
 */
export async function runCli({
  args,
  env = {},
}: {
  args: string[]
  env?: Record<string, string | undefined>
}): Promise<CliResult> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
  const out = { stdout: '', stderr: '' }
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write }
  const capture = (name: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array) => {
      out[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
      return true
    }) as typeof process.stdout.write
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  process.stdout.write = capture('stdout')
  process.stderr.write = capture('stderr')
  try {
    const code = await main(args)
    return { code, ...out }
  } finally {
    process.stdout.write = writes.stdout
    process.stderr.write = writes.stderr
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}
