import autocannon from 'autocannon'
import type { BenchContext } from '../lib/context.ts'
import { API_KEY } from '../lib/gitpg-server.ts'
import { atLeast, atMost, failed, none, notBuilt, type Cell } from '../lib/report.ts'

const CLIENTS = 200
const BODY = Buffer.from(
  Array.from({ length: 400 }, (_, i) => `export const line${i} = 'autosaved ${i}'\n`).join(''),
).subarray(0, 10 * 1024)

/**
 * Autosave under load: 200 concurrent connections doing `PUT /pending/:project/:user/:path` with a
 * 10 KB body for `reps.loadSeconds`, every request a new (user, path) so that afterwards each
 * acknowledged save can be looked up: a save answered 2xx without its row is lost.
 */
export async function benchAutosave(ctx: BenchContext): Promise<void> {
  const side = ctx.gitpg
  const rows = (gitpg: { rate: Cell; p99: Cell; lost: Cell }, notes?: string) => {
    const label = `autosave PUT /pending, 10 KB, ${CLIENTS} clients`
    ctx.report.add({
      operation: `${label}: throughput`,
      unit: 'req/s',
      gitpg: gitpg.rate,
      git: none,
      target: atLeast(2000, 'req/s'),
      notes,
    })
    ctx.report.add({
      operation: `${label}: latency p99`,
      unit: 'ms',
      gitpg: gitpg.p99,
      git: none,
      target: atMost(50, 'ms'),
    })
    ctx.report.add({
      operation: `${label}: saves lost or refused`,
      unit: '',
      gitpg: gitpg.lost,
      git: none,
      target: atMost(0, ''),
    })
  }
  if (!side) return rows({ rate: notBuilt, p99: notBuilt, lost: notBuilt })
  try {
    let n = 0
    const acked: string[] = []
    const result = await autocannon({
      url: side.server.url,
      connections: CLIENTS,
      duration: ctx.reps.loadSeconds,
      method: 'PUT',
      headers: { 'X-Internal-API-Key': API_KEY, 'Content-Type': 'application/octet-stream' },
      body: BODY,
      requests: [
        {
          setupRequest: (req, context) => {
            const i = n++
            ;(context as { key?: string }).key = `load-${i % 10_000}\u0001src/autosave/file-${i}.ts`
            return {
              ...req,
              path: `/pending/${ctx.project}/load-${i % 10_000}/src/autosave/file-${i}.ts`,
            }
          },
          onResponse: (status, _body, context) => {
            if (status >= 200 && status < 300) acked.push((context as { key: string }).key)
          },
        },
      ],
    })
    // requests in flight when the load stopped may still land: let them settle before counting
    await new Promise((r) => setTimeout(r, 1000))
    const stored = await ctx.db.query<{ key: string; size: number }>(
      `SELECT p.user_id || chr(1) || p.path AS key, p.size FROM pending_changes p
       JOIN repos r USING (repo_id) WHERE r.name = $1 AND p.user_id LIKE 'load-%'`,
      [ctx.project],
    )
    const have = new Map(stored.rows.map((r) => [r.key, r.size]))
    const lost = acked.filter((k) => have.get(k) !== BODY.length).length
    const ok = result['2xx']
    const notes =
      `${ok} saves in ${result.duration.toFixed(1)} s, p50 ${result.latency.p50} ms, ` +
      `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts` +
      (acked.length !== ok ? `, ${acked.length} acknowledgements seen` : '')
    rows(
      {
        rate: { value: ok / result.duration },
        p99: { value: result.latency.p99, detail: `(p50 ${result.latency.p50})` },
        lost: { value: lost + result.non2xx + result.errors },
      },
      notes,
    )
  } catch (err) {
    rows({ rate: failed(err), p99: failed(err), lost: failed(err) })
  }
}
