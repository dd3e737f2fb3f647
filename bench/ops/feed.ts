import { join } from 'node:path'
import { ApiClient } from '../lib/api-client.ts'
import type { BenchContext } from '../lib/context.ts'
import { API_KEY, GitpgServer } from '../lib/gitpg-server.ts'
import { summarize } from '../lib/measure.ts'
import { atMost, failed, none, notBuilt, type Cell } from '../lib/report.ts'

const BODY = Buffer.from('# notes\n\n'.padEnd(1024, 'autosaved text '))
const TIMEOUT_MS = 5000

/**
 * Follows `GET /projects/:id/changes` as a text/event-stream from `since`, calling `onPath` with
 * the path of every `pending.saved` event as it arrives.
 */
async function follow({
  server,
  project,
  since,
  signal,
  onPath,
}: {
  server: string
  project: string
  since: string
  signal: AbortSignal
  onPath: (path: string) => void
}): Promise<void> {
  const res = await fetch(`${server}/projects/${project}/changes?since=${since}`, {
    headers: { Accept: 'text/event-stream', 'X-Internal-API-Key': API_KEY },
    signal,
  })
  if (!res.ok || !res.body) throw new Error(`change stream: ${res.status} ${await res.text()}`)
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        buffer += decoder.decode(value, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n')
          if (!data) continue
          const event = JSON.parse(data) as { kind: string; path?: string }
          if (event.kind === 'pending.saved' && event.path) onPath(event.path)
        }
      }
    } catch {
      // aborted at the end
    }
  })()
}

/**
 * Multi-device propagation: an autosave on one gitpg server (device A) until a change stream on
 * a second server process over the same database (device B) delivers its event. Each sample is
 * timed from sending the `PUT /pending` to the event's arrival; saves go one after another.
 */
export async function benchFeed(ctx: BenchContext): Promise<void> {
  const row = (gitpg: Cell, notes?: string) =>
    ctx.report.add({
      operation: 'change feed: autosave on server 1 → SSE event on server 2, p99',
      unit: 'ms',
      gitpg,
      git: none,
      target: atMost(1000, 'ms'),
      notes,
    })
  if (!ctx.gitpg) return row(notBuilt)
  const saves = ctx.quick ? 50 : 200
  let second: GitpgServer | null = null
  const abort = new AbortController()
  try {
    second = await GitpgServer.start({
      databaseUrl: ctx.databaseUrl,
      logFile: join(ctx.work, 'server-2.log'),
    })
    const head = await ctx.db.query<{ seq: string }>(
      `SELECT h.seq FROM project_feed_heads h JOIN repos r USING (repo_id) WHERE r.name = $1`,
      [ctx.project],
    )
    const waiting = new Map<string, (at: number) => void>()
    await follow({
      server: second.url,
      project: ctx.project,
      since: head.rows[0]?.seq ?? '0',
      signal: abort.signal,
      onPath: (path) => waiting.get(path)?.(performance.now()),
    })
    const api = new ApiClient(ctx.gitpg.server.url)
    const samples: number[] = []
    for (let i = 0; i < saves; i++) {
      const path = `feed/probe-${i}.md`
      const arrived = new Promise<number>((resolve, reject) => {
        waiting.set(path, resolve)
        setTimeout(() => reject(new Error(`no event for ${path} in ${TIMEOUT_MS} ms`)), TIMEOUT_MS)
      })
      const sent = performance.now()
      await api.request('PUT', `/pending/${ctx.project}/feed-probe/${path}`, { body: BODY })
      samples.push((await arrived) - sent)
      waiting.delete(path)
      await new Promise((r) => setTimeout(r, 20))
    }
    const t = summarize(samples)
    row(
      { value: t.p99, detail: `(p50 ${t.median.toFixed(1)})` },
      `${saves} saves one at a time, 1 KB bodies, two server processes over one database`,
    )
  } catch (err) {
    row(failed(err))
  } finally {
    abort.abort()
    await second?.stop()
  }
}
