import { randomFillSync } from 'node:crypto'
import { errorCode } from '../../lib/raw-request.ts'
import { createsProject, type HostileCase, type Outcome } from '../hostile-case.ts'
import { pendingSize, putPending } from '../pending-requests.ts'
import { sizeText, timeLimit } from '../sizes.ts'

/**
 * `clients` autosaves of `bytes` each at once (`PUT /pending/:project/:user/:path`, one user
 * each), then each acknowledged save is looked up: one answered 2xx but not stored whole is lost.
 */
export function concurrentAutosaves({
  scale,
  clients,
  bytes,
}: {
  scale: number
  clients: number
  bytes: number
}): HostileCase {
  const project = 'hostile-autosave'
  let body: Buffer = Buffer.alloc(0)
  return {
    name: `${clients} concurrent autosaves of ${sizeText(bytes)}`,
    timeoutMs: timeLimit(scale, 120_000),
    async prepare() {
      body = randomFillSync(Buffer.alloc(bytes))
    },
    setup: createsProject(project),
    async run({ url, api, signal }): Promise<Outcome> {
      const results = await Promise.all(
        Array.from({ length: clients }, (_, i) =>
          putPending({ url, project, user: `user-${i}`, path: 'big.bin', body, signal }).catch(
            (err: Error) => ({ status: 0, error: err.message.slice(0, 60) }),
          ),
        ),
      )
      const tally = new Map<string, number>()
      let lost = 0
      for (const [i, r] of results.entries()) {
        const key =
          'head' in r
            ? `${r.status}${r.status >= 400 ? ` ${errorCode(r.head) ?? ''}` : ''}`
            : r.error
        tally.set(key.trim(), (tally.get(key.trim()) ?? 0) + 1)
        if (r.status >= 200 && r.status < 300) {
          const stored = await pendingSize({ api, project, user: `user-${i}`, path: 'big.bin' })
          if (stored !== bytes) lost++
        }
      }
      const text =
        [...tally].map(([k, n]) => `${n} × ${k}`).join(', ') + (lost ? `, ${lost} lost` : '')
      const failed = results.some((r) => r.status === 0 || r.status >= 500)
      if (lost) return { text, fault: 'lost saves' }
      return failed ? { text, fault: '5xx or error' } : { text }
    },
  }
}
