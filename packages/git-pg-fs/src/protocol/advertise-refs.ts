import { parseTag } from '../objects/commit.ts'
import type { GitStore } from '../store/git-store.ts'
import { FLUSH, pktLine } from './pkt-line.ts'

export type GitService = 'git-upload-pack' | 'git-receive-pack'

export const ZERO_OID = '0'.repeat(40)
export const AGENT = 'agent=gitpg/0.1'

const UPLOAD_CAPABILITIES = [
  'multi_ack',
  'ofs-delta',
  'side-band',
  'side-band-64k',
  'shallow',
  'no-progress',
  'include-tag',
  'multi_ack_detailed',
  'no-done',
  'allow-tip-sha1-in-want',
  'allow-reachable-sha1-in-want',
  'object-format=sha1',
]

const RECEIVE_CAPABILITIES = [
  'report-status',
  'delete-refs',
  'side-band-64k',
  'quiet',
  'atomic',
  'ofs-delta',
  'object-format=sha1',
]

/** The gitdir file that lists a shallow repository's boundary commits. */
const SHALLOW_FILE = 'shallow'

/** The repository's shallow commits (none for a complete history). */
export async function readShallowCommits(store: GitStore, repoId: number): Promise<string[]> {
  const file = await store.readFile(repoId, SHALLOW_FILE)
  if (!file) return []
  return file.content
    .toString('latin1')
    .split('\n')
    .filter((l) => /^[0-9a-f]{40}$/.test(l))
}

export interface AdvertisedRef {
  name: string
  oid: string
}

/**
 * The refs as git advertises them: HEAD (when it resolves) first, then every ref by name, each
 * annotated tag followed by its peeled `^{}` line; plus HEAD's symbolic target.
 */
export async function listAdvertisedRefs(
  store: GitStore,
  repoId: number,
): Promise<{ refs: AdvertisedRef[]; peeled: Map<string, string>; head: string | null }> {
  const records = await store.listRefs(repoId)
  const direct = new Map<string, string>()
  for (const r of records) if (r.oid) direct.set(r.name, r.oid)
  const headRecord = records.find((r) => r.name === 'HEAD')
  const head = headRecord?.target ?? null
  const refs: AdvertisedRef[] = []
  const headOid = head ? direct.get(head) : headRecord?.oid
  if (headOid) refs.push({ name: 'HEAD', oid: headOid })
  for (const r of records) if (r.oid && r.name !== 'HEAD') refs.push({ name: r.name, oid: r.oid })

  const peeled = new Map<string, string>()
  const tagRefs = refs.filter((r) => r.name.startsWith('refs/tags/'))
  const info = await store.readObjectInfo(
    repoId,
    tagRefs.map((r) => r.oid),
  )
  let pending = [...new Set(tagRefs.map((r) => r.oid).filter((o) => info.get(o)?.type === 'tag'))]
  const target = new Map<string, string>()
  for (let hop = 0; pending.length > 0 && hop < 10; hop++) {
    const objects = await store.readObjects(repoId, pending)
    const next: string[] = []
    for (const [oid, o] of objects) {
      if (o.type !== 'tag') continue
      const to = parseTag(o.content).object
      target.set(oid, to)
      next.push(to)
    }
    pending = next
  }
  for (const r of tagRefs) {
    let oid = r.oid
    for (let hop = 0; target.has(oid) && hop < 10; hop++) oid = target.get(oid)!
    if (oid !== r.oid) peeled.set(r.name, oid)
  }
  return { refs, peeled, head }
}

/**
 * The ref advertisement of `service` (protocol v0/v1) as pkt-lines ending in a flush: refs with
 * capabilities on the first line, peeled tags for upload-pack, and the shallow commits.
 */
export async function advertiseRefs({
  store,
  repoId,
  service,
}: {
  store: GitStore
  repoId: number
  service: GitService
}): Promise<Buffer> {
  const { refs, peeled, head } = await listAdvertisedRefs(store, repoId)
  const upload = service === 'git-upload-pack'
  const caps = [...(upload ? UPLOAD_CAPABILITIES : RECEIVE_CAPABILITIES)]
  if (upload && head && refs[0]?.name === 'HEAD') caps.push(`symref=HEAD:${head}`)
  caps.push(AGENT)
  const lines: string[] = []
  for (const r of refs) {
    if (!upload && r.name === 'HEAD') continue
    lines.push(`${r.oid} ${r.name}`)
    const p = peeled.get(r.name)
    if (upload && p) lines.push(`${p} ${r.name}^{}`)
  }
  if (lines.length === 0) lines.push(`${ZERO_OID} capabilities^{}`)
  const out = lines.map((l, i) => pktLine(i === 0 ? `${l}\0${caps.join(' ')}\n` : `${l}\n`))
  for (const s of await readShallowCommits(store, repoId)) out.push(pktLine(`shallow ${s}\n`))
  out.push(FLUSH)
  return Buffer.concat(out)
}
