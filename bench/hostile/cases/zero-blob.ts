import { pushOutcome, receivePack } from '../git-requests.ts'
import { createsProject, type HostileCase, type SizedCaseOptions } from '../hostile-case.ts'
import { zeroBlobPush } from '../payloads.ts'
import { sizeText, timeLimit } from '../sizes.ts'

/**
 * A raw receive-pack request whose pack (about bytes/1000) holds one blob of `bytes` zeros: the
 * blob's zlib stream inflates a thousandfold.
 */
export function zeroBlob({ scale, dir, bytes }: SizedCaseOptions): HostileCase {
  const project = 'hostile-zeros'
  let push: { commit: string; pack: Buffer } = { commit: '', pack: Buffer.alloc(0) }
  const hostile: HostileCase = {
    name: `push of a ${sizeText(bytes)} blob of zeros`,
    timeoutMs: timeLimit(scale, 120_000),
    async prepare() {
      push = await zeroBlobPush(dir, bytes)
      hostile.name = `${sizeText(push.pack.length)} push holding a ${sizeText(bytes)} blob of zeros`
    },
    setup: createsProject(project),
    async run({ url, signal }) {
      return pushOutcome(await receivePack({ url, project, ...push, signal }))
    },
  }
  return hostile
}
