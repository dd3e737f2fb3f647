import { Http1Pool } from './http1-pool.ts'
import { summarize } from './measure.ts'

import { fork } from 'node:child_process'

/**
 * The requests of a run, the same but for their path: `{i}` in `path` is the request's number,
 * `{u}` that number modulo 10,000 (a user id).
 */
export interface PacedRequests {
  method: 'PUT' | 'POST' | 'GET'
  path: string
  headers: Record<string, string>
  body?: Buffer
}

export interface PacedResult {
  /** requests answered 2xx, warm-up included */
  ok: number
  /** requests of the measured seconds answered 2xx: the latencies are theirs */
  measured: number
  non2xx: number
  errors: number
  /** from the first measured request's due time to the last answer (s) */
  seconds: number
  /** latency from each request's scheduled start to its answer (ms) */
  p50: number
  p99: number
  max: number
  /** the most requests in flight at once */
  maxInFlight: number
  /** the numbers of the requests answered 2xx */
  okRequests: number[]
  /** the generator's own CPU time per request sent (ms) */
  cpuMsPerRequest: number
}

export interface PacedOptions {
  url: string
  connections: number
  /** average requests per second */
  rate: number
  seconds: number
  /**
   * load at the same rate before the measured `seconds`, whose latencies are not counted (their
   * answers are: they are in `ok`, `non2xx`, `errors` and `okRequests`): the generator's own code
   * and its connections start cold
   */
  warmUpSeconds?: number
  seed?: number
  requests: PacedRequests
}

const pathOf = (template: string, i: number) =>
  template.replaceAll('{i}', String(i)).replaceAll('{u}', String(i % 10_000))

/** A seeded PRNG (mulberry32): the same arrival times on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Open-loop load at a fixed average rate: requests arrive as a Poisson process (independent
 * users, each saving on their own clock), whether or not earlier ones have been answered, over
 * a pool of `connections` keep-alive connections. A request that finds every connection busy
 * waits in the pool's queue, and its latency counts from the moment it was due, not from when a
 * connection took it: a server that falls behind is charged for the whole delay (no coordinated
 * omission). The connections are `Http1Pool`'s: on a 2-core machine the generator competes
 * with the server and PostgreSQL for CPU, and undici spent about 0.17 ms of CPU per request
 * against 0.09 ms here.
 *
 * autocannon's own rate option sends each connection's share of a second back to back at the
 * start of that second (a burst of the whole second's load every second), so it is used here only
 * for the closed-loop throughput run.
 */
async function runPacedLoad({
  url,
  connections,
  rate,
  seconds,
  warmUpSeconds = 0,
  seed = 1,
  requests,
}: PacedOptions): Promise<PacedResult> {
  const pool = new Http1Pool(url, connections)
  const next = random(seed)
  const latencies: number[] = []
  const okRequests: number[] = []
  let non2xx = 0
  let errors = 0
  let inFlight = 0
  let maxInFlight = 0
  const pending: Promise<void>[] = []

  const send = async (i: number, due: number) => {
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    try {
      const status = await pool.request({ ...requests, path: pathOf(requests.path, i) })
      if (status >= 200 && status < 300) {
        okRequests.push(i)
        if (due >= measuredFrom) latencies.push(performance.now() - due)
      } else non2xx++
    } catch {
      errors++
    } finally {
      inFlight--
    }
  }

  const cpuBefore = process.cpuUsage()
  const start = performance.now()
  const measuredFrom = start + warmUpSeconds * 1000
  const end = measuredFrom + seconds * 1000
  let due = start
  let i = 0
  while (due < end) {
    const now = performance.now()
    while (due <= now && due < end) {
      pending.push(send(i++, due))
      due += (-Math.log(1 - next()) / rate) * 1000
    }
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(due - performance.now(), 5))))
  }
  await Promise.all(pending)
  const elapsed = (performance.now() - measuredFrom) / 1000
  pool.close()
  const cpu = process.cpuUsage(cpuBefore)
  const timing = summarize(latencies.length > 0 ? latencies : [NaN])
  return {
    ok: okRequests.length,
    measured: latencies.length,
    non2xx,
    errors,
    seconds: elapsed,
    p50: timing.median,
    p99: timing.p99,
    max: latencies.reduce((a, b) => Math.max(a, b), 0),
    maxInFlight,
    okRequests,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / i,
  }
}

/**
 * `runPacedLoad` in a process of its own, as a load generator is run: its timers and garbage
 * collection are not held up by the benchmark's own heap, and it shares nothing with the
 * server but the machine.
 */
export function pacedLoad(options: PacedOptions): Promise<PacedResult> {
  const child = fork(new URL(import.meta.url).pathname, ['--paced-load'], {
    execArgv: ['--conditions=@gitpg/source', '--import', 'tsx'],
    serialization: 'advanced',
  })
  return new Promise((resolve, reject) => {
    child.once('message', (result) => resolve(result as PacedResult))
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the load generator exited (${code})`)))
    child.send(options)
  })
}

if (process.argv.includes('--paced-load')) {
  process.once('message', async (options) => {
    const opts = options as PacedOptions
    const body = opts.requests.body
    // a Buffer arrives as a Uint8Array
    const result = await runPacedLoad({
      ...opts,
      requests: { ...opts.requests, ...(body ? { body: Buffer.from(body) } : {}) },
    })
    process.send!(result, () => process.exit(0))
  })
}
