import { RefNotFoundError } from '../errors.ts'
import { parseCommit } from '../objects/commit.ts'
import { preparePack } from '../pack/prepare-pack.ts'
import { listAdvertisedRefs, readShallowCommits } from '../protocol/advertise-refs.ts'
import type { GitStore } from '../store/git-store.ts'

export const BUNDLE_V2_SIGNATURE = '# v2 git bundle\n'

/**
 * The repository as a git bundle (v2): the signature, a `-<oid>` prerequisite for each parent a
 * shallow repository lacks, one `<oid> <refname>` line per ref (HEAD first), a blank line, then
 * a pack of everything the refs reach, streamed. `git clone x.bundle` takes it (when complete).
 * Throws `RefNotFoundError` for a repository without refs, as git refuses an empty bundle.
 *
 * @example
 * for await (const chunk of writeBundle({ store, repoId })) file.write(chunk)
 */
export async function* writeBundle({
  store,
  repoId,
}: {
  store: GitStore
  repoId: number
}): AsyncGenerator<Buffer> {
  const { refs } = await listAdvertisedRefs(store, repoId)
  if (refs.length === 0) throw new RefNotFoundError('HEAD')
  const shallow = await readShallowCommits(store, repoId)
  const prerequisites = new Set<string>()
  for (const o of (await store.readObjects(repoId, shallow)).values()) {
    if (o.type === 'commit') for (const p of parseCommit(o.content).parents) prerequisites.add(p)
  }
  const lines = [
    BUNDLE_V2_SIGNATURE,
    ...[...prerequisites].map((p) => `-${p}\n`),
    ...refs.map((r) => `${r.oid} ${r.name}\n`),
    '\n',
  ]
  const wants = [...new Set(refs.map((r) => r.oid))]
  const pack = await preparePack({ store, repoId, wants })
  yield Buffer.from(lines.join(''))
  yield* pack.stream
}
