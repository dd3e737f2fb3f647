import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import type { BenchContext } from '../lib/context.ts'
import { API_KEY } from '../lib/gitpg-server.ts'
import { pacedLoad } from '../lib/paced-load.ts'
import { atLeast, atMost, failed, none, notBuilt, type Cell } from '../lib/report.ts'

const CLIENTS = 200
/** the target's load: 10,000 users saving every 5 s */
const TARGET_RATE = 2000
const WARM_UP_SECONDS = 2
/** the target's p99 for one save (ms) */
export const autosaveTargetP99 = 50
const BODY = Buffer.from(
  Array.from({ length: 400 }, (_, i) => `export const line${i} = 'autosaved ${i}'\n`).join(''),
).subarray(0, 10 * 1024)

/** CPU seconds (user + system) a process has used so far: /proc counts in USER_HZ, 100 on Linux. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return NaN
  }
}

interface LoadResult {
  ok: number
  seconds: number
  p50: number
  p99: number
  /** acknowledged saves whose row is missing or wrong, plus refusals and errors */
  lost: number
  notes: string
}

/**
 * The save request number `i` of a run, by user `u` (`i` modulo 10,000): a new (user, path)
 * each, so each can be checked.
 */
function saveTarget(ctx: BenchContext, prefix: string, u: number | string, i: number | string) {
  const user = `${prefix}-${u}`
  const path = `src/autosave/file-${i}.ts`
  return { key: `${user}\u0001${path}`, path: `/pending/${ctx.project}/${user}/${path}` }
}

/** How many acknowledged saves of a run are not stored with their whole body. */
async function missingSaves(ctx: BenchContext, prefix: string, acked: string[]): Promise<number> {
  // requests in flight when the load stopped may still land: let them settle before counting
  await new Promise((r) => setTimeout(r, 1000))
  const stored = await ctx.db.query<{ key: string; size: number }>(
    `SELECT p.user_id || chr(1) || convert_from(p.path, 'UTF8') AS key, p.size FROM pending_changes p
     JOIN repos r USING (repo_id) WHERE r.name = $1 AND p.user_id LIKE $2`,
    [ctx.project, `${prefix}-%`],
  )
  const have = new Map(stored.rows.map((r) => [r.key, r.size]))
  return acked.filter((k) => have.get(k) !== BODY.length).length
}

const cpuNote = (cpuMs: number) =>
  Number.isFinite(cpuMs) ? `, server CPU ${cpuMs.toFixed(2)} ms per save` : ''

/**
 * Closed-loop load: `CLIENTS` autocannon connections doing `PUT /pending/:project/:user/:path`
 * with a 10 KB body, each sending its next save as soon as the last is answered. Afterwards each
 * acknowledged save is looked up: a save answered 2xx without its row is lost.
 */
async function load({
  ctx,
  prefix,
  seconds = ctx.reps.loadSeconds,
}: {
  ctx: BenchContext
  prefix: string
  seconds?: number
}): Promise<LoadResult> {
  const side = ctx.gitpg!
  let n = 0
  const acked: string[] = []
  const cpuBefore = cpuSeconds(side.server.pid)
  const result = await autocannon({
    url: side.server.url,
    connections: CLIENTS,
    duration: seconds,
    method: 'PUT',
    headers: { 'X-Internal-API-Key': API_KEY, 'Content-Type': 'application/octet-stream' },
    body: BODY,
    requests: [
      {
        setupRequest: (req, context) => {
          const i = n++
          const target = saveTarget(ctx, prefix, i % 10_000, i)
          ;(context as { key?: string }).key = target.key
          return { ...req, path: target.path }
        },
        onResponse: (status, _body, context) => {
          if (status >= 200 && status < 300) acked.push((context as { key: string }).key)
        },
      },
    ],
  })
  const cpuMs = ((cpuSeconds(side.server.pid) - cpuBefore) * 1000) / result['2xx']
  const missing = await missingSaves(ctx, prefix, acked)
  const ok = result['2xx']
  return {
    ok,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    lost: missing + result.non2xx + result.errors,
    notes:
      `${ok} saves in ${result.duration.toFixed(1)} s, p50 ${result.latency.p50} ms, ` +
      `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts` +
      cpuNote(cpuMs) +
      (acked.length !== ok ? `, ${acked.length} acknowledgements seen` : ''),
  }
}

/**
 * Open-loop load at `rate` saves per second (Poisson arrivals over `CLIENTS` connections, see
 * `pacedLoad`), each latency counted from when its save was due. The generator's first
 * `WARM_UP_SECONDS` at the same rate are not timed (its code and connections start cold), but their
 * saves are checked like the rest.
 */
export async function pacedRun({
  ctx,
  prefix,
  rate,
  seconds = ctx.reps.loadSeconds,
}: {
  ctx: BenchContext
  prefix: string
  rate: number
  seconds?: number
}): Promise<LoadResult> {
  const side = ctx.gitpg!
  const cpuBefore = cpuSeconds(side.server.pid)
  const result = await pacedLoad({
    url: side.server.url,
    connections: CLIENTS,
    rate,
    seconds,
    warmUpSeconds: WARM_UP_SECONDS,
    requests: {
      method: 'PUT',
      path: saveTarget(ctx, prefix, '{u}', '{i}').path,
      headers: { 'x-internal-api-key': API_KEY, 'content-type': 'application/octet-stream' },
      body: BODY,
    },
  })
  const acked = result.okRequests.map((i) => saveTarget(ctx, prefix, i % 10_000, i).key)
  const cpuMs = ((cpuSeconds(side.server.pid) - cpuBefore) * 1000) / result.ok
  const missing = await missingSaves(ctx, prefix, acked)
  const p = (ms: number) => ms.toFixed(1)
  return {
    ok: result.measured,
    seconds: result.seconds,
    p50: result.p50,
    p99: result.p99,
    lost: missing + result.non2xx + result.errors,
    notes:
      `${result.measured} saves in ${result.seconds.toFixed(1)} s after ${WARM_UP_SECONDS} s at the same rate, ` +
      `p50 ${p(result.p50)} ms, ` +
      `max ${p(result.max)} ms, at most ${result.maxInFlight} in flight, ` +
      `${result.non2xx} non-2xx, ${result.errors} errors` +
      cpuNote(cpuMs) +
      `, generator CPU ${result.cpuMsPerRequest.toFixed(2)} ms per save`,
  }
}

/**
 * Autosave under load, in two runs after a 2 s warm-up (saves of the warm-up are checked too).
 * Throughput: 200 autocannon connections saving back to back (the most the server sustains).
 * Latency: the target's 2,000 saves per second arriving as independent users' saves do (Poisson,
 * open loop, over 200 connections, from a generator process of its own), each counted from when
 * it was due; with connections waiting on their answers, latency at saturation is only
 * connections ÷ throughput, and autocannon's own rate option sends each second's saves in a burst
 * at its start. The notes give the server's CPU time per save, steadier than throughput on a
 * machine shared with Postgres and the load generator.
 */
export async function benchAutosave(ctx: BenchContext): Promise<void> {
  const label = `autosave PUT /pending, 10 KB, ${CLIENTS} clients`
  const rows = (gitpg: { rate: Cell; p99: Cell; lost: Cell }, notes: string[] = []) => {
    ctx.report.add({
      operation: `${label}: throughput, back to back`,
      unit: 'req/s',
      gitpg: gitpg.rate,
      git: none,
      target: atLeast(TARGET_RATE, 'req/s'),
      notes: notes[0],
    })
    ctx.report.add({
      operation: `${label}: latency p99 at ${TARGET_RATE} req/s offered`,
      unit: 'ms',
      gitpg: gitpg.p99,
      git: none,
      target: atMost(autosaveTargetP99, 'ms'),
      notes: notes[1],
    })
    ctx.report.add({
      operation: `${label}: saves lost or refused`,
      unit: '',
      gitpg: gitpg.lost,
      git: none,
      target: atMost(0, ''),
    })
  }
  if (!ctx.gitpg) return rows({ rate: notBuilt, p99: notBuilt, lost: notBuilt })
  try {
    // a fresh server's first seconds run cold code; the target is about sustained load
    const warm = await load({ ctx, prefix: 'warm', seconds: WARM_UP_SECONDS })
    const full = await load({ ctx, prefix: 'load' })
    // the benchmark's own files (git's clones and work trees) are written out first, so the
    // kernel does not write them during the timed run
    execFileSync('sync')
    const paced = await pacedRun({ ctx, prefix: 'paced', rate: TARGET_RATE })
    rows(
      {
        rate: { value: full.ok / full.seconds, detail: `(p99 ${full.p99} ms)` },
        p99: { value: paced.p99, detail: `(p50 ${paced.p50.toFixed(1)})` },
        lost: { value: warm.lost + full.lost + paced.lost },
      },
      [full.notes, `${(paced.ok / paced.seconds).toFixed(0)} saves/s achieved; ${paced.notes}`],
    )
  } catch (err) {
    rows({ rate: failed(err), p99: failed(err), lost: failed(err) })
  }
}
