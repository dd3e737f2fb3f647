import { API_KEY } from '../../lib/gitpg-server.ts'
import { rawRequest } from '../../lib/raw-request.ts'
import { commitPack, entryOf, objectId } from '../crafted-pack.ts'
import { pushOrThrow } from '../git-requests.ts'
import { answered, mb, type HostileCase } from '../hostile-case.ts'
import { countText, sizeText, timeLimit } from '../sizes.ts'

/** A text file of `bytes`: it deflates to almost nothing, and a batch read returns it as utf8. */
function textBlob(bytes: number): Buffer {
  const line = 'export const value = "the same line in every file of a wide tree"\n'
  return Buffer.from(line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes))
}

/**
 * A tree of `entries` files that all point at one blob of `blobBytes` (a pack of a few hundred
 * KB), then `POST /files/:project/batch` asking for every path: the answer would hold
 * entries × blobBytes of content.
 */
export function wideBatch({
  scale,
  entries,
  blobBytes,
}: {
  scale: number
  entries: number
  blobBytes: number
}): HostileCase {
  const project = `hostile-wide-${blobBytes}`
  const paths = Array.from({ length: entries }, (_, i) => `f${String(i).padStart(6, '0')}.txt`)
  let push: { commit: string; pack: Buffer }
  return {
    name: `wide batch read: ${countText(entries)} paths of one ${sizeText(blobBytes)} blob`,
    timeoutMs: timeLimit(scale, 120_000),
    async prepare() {
      const blob = textBlob(blobBytes)
      const oid = objectId('blob', blob)
      push = commitPack({
        tree: paths.map((name) => ({ name, oid })),
        blobs: [entryOf('blob', blob)],
        message: `${entries} names, one blob`,
      })
    },
    async setup({ url, api }) {
      await api.request('PUT', `/projects/${project}`, { json: {} })
      await pushOrThrow({ url, project, ...push })
    },
    async run({ url, signal }) {
      const res = await rawRequest({
        url: `${url}/files/${project}/batch`,
        method: 'POST',
        headers: { 'x-internal-api-key': API_KEY, 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ paths })),
        signal,
        keep: 4096,
      })
      return answered(res, `${mb(res.bytes)} answered (pack ${sizeText(push.pack.length)})`)
    },
  }
}
