import { pushOrThrow, uploadPack } from '../git-requests.ts'
import {
  answered,
  createsProject,
  type HostileCase,
  type SizedCaseOptions,
} from '../hostile-case.ts'
import { pendingSize, putPending } from '../pending-requests.ts'
import { gzipHaveFlood, gzipZeros } from '../payloads.ts'
import { pktLines } from '../pkt-line.ts'
import { sizeText, timeLimit } from '../sizes.ts'
import { tinyCommit } from './tiny-commit.ts'

/** An autosave whose gzip body (`Content-Encoding: gzip`) inflates to `bytes` of zeros. */
export function zipBombAutosave({ scale, dir, bytes }: SizedCaseOptions): HostileCase {
  const project = 'hostile-zip-save'
  let body: Buffer = Buffer.alloc(0)
  return {
    name: `gzip autosave body: ${sizeText(bytes)} inflated`,
    timeoutMs: timeLimit(scale, 120_000),
    async prepare() {
      body = await gzipZeros(dir, bytes)
    },
    setup: createsProject(project),
    async run({ url, api, signal }) {
      const file = { project, user: 'mallory', path: 'bomb.bin' }
      const res = await putPending({ url, ...file, body, gzip: true, signal })
      if (res.status >= 300) return answered(res, `${sizeText(body.length)} sent`)
      const stored = await pendingSize({ api, ...file })
      return answered(res, `${sizeText(body.length)} sent, ${stored ?? 'no'} bytes stored`)
    },
  }
}

/**
 * A clone's negotiation request, gzipped as git sends large ones, that inflates to `bytes`: a
 * want, then one have line repeated, then done.
 */
export function zipBombUploadPack({ scale, dir, bytes }: SizedCaseOptions): HostileCase {
  const project = 'hostile-zip-fetch'
  const tiny = tinyCommit()
  let body: Buffer = Buffer.alloc(0)
  return {
    name: `gzip upload-pack body: ${sizeText(bytes)} inflated`,
    timeoutMs: timeLimit(scale, 120_000),
    async prepare() {
      body = await gzipHaveFlood(dir, tiny.commit, bytes)
    },
    async setup({ url, api }) {
      await api.request('PUT', `/projects/${project}`, { json: {} })
      await pushOrThrow({ url, project, ...tiny })
    },
    async run({ url, signal }) {
      const res = await uploadPack({ url, project, body, gzip: true, signal })
      const first = pktLines(res.head)[0]
        ?.replace(/[^\x20-\x7e]/g, '')
        .slice(0, 60)
      return answered(res, `${sizeText(body.length)} sent${first ? `, first line "${first}"` : ''}`)
    },
  }
}
