import { randomFillSync } from 'node:crypto'
import { API_KEY } from '../../lib/gitpg-server.ts'
import { rawRequest, errorCode } from '../../lib/raw-request.ts'
import type { HostileCase, Outcome } from '../hostile-case.ts'
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
    async setup({ api }) {
      await api.request('PUT', `/projects/${project}`, { json: {} })
    },
    async run({ url, api, signal }): Promise<Outcome> {
      const results = await Promise.all(
        Array.from({ length: clients }, (_, i) =>
          rawRequest({
            url: `${url}/pending/${project}/user-${i}/big.bin`,
            method: 'PUT',
            headers: {
              'x-internal-api-key': API_KEY,
              'content-type': 'application/octet-stream',
            },
            body,
            signal,
          }).catch((err: Error) => ({ status: 0, error: err.message.slice(0, 60) })),
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
          const { changes } = await api.json<{ changes: { path: string; size: number }[] }>(
            'GET',
            `/pending/${project}/user-${i}`,
          )
          if (changes.find((c) => c.path === 'big.bin')?.size !== bytes) lost++
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
