import { pushOrThrow, uploadPack } from '../git-requests.ts'
import { answered, mb, type HostileCase } from '../hostile-case.ts'
import { haveFlood as haveLines } from '../payloads.ts'
import { pktLines } from '../pkt-line.ts'
import { countText, timeLimit } from '../sizes.ts'
import { tinyCommit } from './tiny-commit.ts'

/**
 * One upload-pack request with `count` distinct have lines (50 bytes each, ids that exist
 * nowhere), sent as it is made, after a want of the project's only commit.
 */
export function haveFlood({ scale, count }: { scale: number; count: number }): HostileCase {
  const project = 'hostile-haves'
  const tiny = tinyCommit()
  return {
    name: `upload-pack request with ${countText(count)} have lines`,
    timeoutMs: timeLimit(scale, 120_000),
    async setup({ url, api }) {
      await api.request('PUT', `/projects/${project}`, { json: {} })
      await pushOrThrow({ url, project, ...tiny })
    },
    async run({ url, signal }) {
      const body = haveLines(tiny.commit, count)
      const res = await uploadPack({ url, project, body, signal })
      const first = pktLines(res.head)[0]
        ?.replace(/[^\x20-\x7e]/g, '')
        .slice(0, 60)
      return answered(res, `${mb(res.bytes)} answered${first ? `, first line "${first}"` : ''}`)
    },
  }
}
