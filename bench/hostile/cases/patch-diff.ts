import { randomBytes } from 'node:crypto'
import { API_KEY } from '../../lib/gitpg-server.ts'
import { rawRequest } from '../../lib/raw-request.ts'
import { answered, mb, type HostileCase } from '../hostile-case.ts'
import { countText, timeLimit } from '../sizes.ts'

/** `lines` lines no other version shares (each holds a random tag). */
function version(lines: number, name: string): Buffer {
  const tag = randomBytes(8).toString('hex')
  const text = Array.from({ length: lines }, (_, i) => `${name} ${tag} line ${i}\n`).join('')
  return Buffer.from(text)
}

/**
 * A file of `lines` lines committed, then rewritten with `lines` lines that share none with it,
 * and `GET /projects/:id/diff?format=patch` between the two commits: an algorithm quadratic in
 * the lines (plain Myers) takes minutes here, git's xdiff a few milliseconds.
 */
export function patchDiff({ scale, lines }: { scale: number; lines: number }): HostileCase {
  const project = 'hostile-diff'
  let from = ''
  let to = ''
  return {
    name: `patch diff of a ${countText(lines)}-line rewrite`,
    timeoutMs: timeLimit(scale, 120_000),
    async setup({ api }) {
      await api.request('PUT', `/projects/${project}`, { json: {} })
      const commit = async (body: Buffer) => {
        const res = await api.request('PUT', `/files/${project}/rewritten.txt`, { body })
        return ((await res.json()) as { commit: string }).commit
      }
      from = await commit(version(lines, 'before'))
      to = await commit(version(lines, 'after'))
    },
    async run({ url, signal }) {
      const res = await rawRequest({
        url: `${url}/projects/${project}/diff?from=${from}&to=${to}&format=patch`,
        method: 'GET',
        headers: { 'x-internal-api-key': API_KEY },
        signal,
        keep: 4096,
      })
      return answered(res, `${mb(res.bytes)} of patch`)
    },
  }
}
