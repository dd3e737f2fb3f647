import { setMaxListeners } from 'node:events'
import { openSync, readSync, statSync, closeSync } from 'node:fs'
import { ApiClient } from '../lib/api-client.ts'
import type { GitpgServer } from '../lib/gitpg-server.ts'
import { HealthProbe, type HealthSummary } from '../lib/health-probe.ts'
import { RssSampler } from '../lib/rss-sampler.ts'
import type { CaseEnv, HostileCase, Outcome } from './hostile-case.ts'
import { sizeText } from './sizes.ts'

/** What one case measured; `peak` and `health` are null when the case never ran. */
export interface CaseResult {
  name: string
  outcome: Outcome
  /** from the start of the run to its outcome */
  ms: number
  baseline: number | null
  peak: number | null
  health: HealthSummary | null
}

/** Sampling goes on this long after a run's outcome: a server may go on working after it answers. */
const TAIL_MS = 1000
/** A run that ignores its abort signal is left behind after this long. */
const ABORT_GRACE_MS = 15_000
const SETUP_TIMEOUT_MS = 120_000

/** The last line of the server's log written since `from` that says what went wrong. */
function lastLogLine(logFile: string, from: number): string {
  const fd = openSync(logFile, 'r')
  try {
    const end = statSync(logFile).size
    const start = Math.max(from, end - 64 * 1024)
    const buf = Buffer.alloc(end - start)
    readSync(fd, buf, 0, buf.length, start)
    const lines = buf
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim())
    const telling = lines.filter((l) => /FATAL|fatal|Error|error|heap|Killed/.test(l))
    return (telling.at(-1) ?? lines.at(-1) ?? '').trim().slice(0, 160)
  } finally {
    closeSync(fd)
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

/**
 * Runs one case on a server of its own: prepares its payloads, starts the server, sets the case
 * up, then runs it while sampling the server's RSS (every 50 ms) and polling `/health` (every
 * 100 ms), until its outcome and a second more, or its time limit. A server that dies is reported
 * as crashed; one past `capBytes` is killed (so a runaway case cannot take the machine) and
 * reported as stopped. The server is always stopped at the end: the next case gets a fresh one.
 */
export async function runCase({
  hostile,
  start,
  logFile,
  capBytes,
}: {
  hostile: HostileCase
  start: () => Promise<GitpgServer>
  logFile: string
  capBytes: number
}): Promise<CaseResult> {
  const failed = (what: string, err: unknown): CaseResult => {
    const text = `${what}: ${(err as Error).message.split('\n')[0].slice(0, 160)}`
    return {
      name: hostile.name,
      outcome: { text, fault: what },
      ms: 0,
      baseline: null,
      peak: null,
      health: null,
    }
  }
  try {
    await hostile.prepare?.()
  } catch (err) {
    return failed('prepare failed', err)
  }
  let server: GitpgServer
  try {
    server = await start()
  } catch (err) {
    return failed('server did not start', err)
  }
  try {
    const controller = new AbortController()
    // every request of a case (20 at once for the autosaves) listens to it
    setMaxListeners(100, controller.signal)
    const env: CaseEnv = {
      url: server.url,
      api: new ApiClient(server.url),
      signal: controller.signal,
    }
    try {
      await withTimeout(hostile.setup?.(env) ?? Promise.resolve(), SETUP_TIMEOUT_MS, 'setup')
    } catch (err) {
      return failed('setup failed', err)
    }
    const logFrom = statSync(logFile).size
    const sampler = new RssSampler({ pid: server.pid, capBytes, onOverCap: () => server.kill() })
    const probe = new HealthProbe({ url: server.url })
    const started = performance.now()
    const limit = setTimeout(() => controller.abort(), hostile.timeoutMs)
    let outcome: Outcome
    try {
      outcome = await withTimeout(hostile.run(env), hostile.timeoutMs + ABORT_GRACE_MS, 'the run')
    } catch (err) {
      outcome = {
        text: `error: ${(err as Error).message.split('\n')[0].slice(0, 120)}`,
        fault: 'error',
      }
    }
    // an aborted run may still resolve (a killed git push exits): its outcome is the time limit
    if (controller.signal.aborted) {
      const text = `timeout after ${(hostile.timeoutMs / 1000).toFixed(0)} s`
      outcome = { text: outcome.fault ? text : `${text} (${outcome.text})`, fault: 'timeout' }
    }
    const ms = performance.now() - started
    clearTimeout(limit)
    if (!controller.signal.aborted && server.exited === null)
      await new Promise((resolve) => setTimeout(resolve, TAIL_MS))
    const health = await probe.stop()
    const { baseline, peak } = sampler.stop()
    // a server killed for its memory has "crashed" too: say which it was
    const died = server.exited
    if (sampler.overCap) {
      const text = `stopped by the bench at RSS over ${sizeText(capBytes)} (${outcome.text})`
      outcome = { text, fault: 'RSS cap' }
    } else if (died !== null) {
      const text = `server crashed (${died}): ${lastLogLine(logFile, logFrom)}`
      outcome = { text, fault: 'crashed' }
    }
    return { name: hostile.name, outcome, ms, baseline, peak, health }
  } finally {
    await server.stop()
  }
}
