import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  listAdvertisedRefs,
  preparePack,
  readShallowCommits,
  type GitStore,
} from '@gitpg/git-pg-fs'
import { runGit } from './run-git.ts'

export interface ExportResult {
  dir: string
  refs: number
  objects: number
  /** the branch HEAD names */
  head: string | null
  checkedOut: boolean
}

/** Where an export is: listing the objects, writing the pack (bytes so far), checking out. */
export interface ExportProgress {
  step: 'counting' | 'writing' | 'checkout'
  objects?: number
  bytes?: number
}

/** The pack's chunks, counted as they pass, reported at most every 1 MiB. */
async function* counted(
  chunks: AsyncIterable<Buffer>,
  report: (bytes: number) => void,
): AsyncGenerator<Buffer> {
  let bytes = 0
  let reported = 0
  for await (const chunk of chunks) {
    bytes += chunk.length
    if (bytes - reported >= 1 << 20) {
      reported = bytes
      report(bytes)
    }
    yield chunk
  }
  report(bytes)
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw err
  }
}

/**
 * Writes a repository of the store as a standard git repository in `dir` using the git CLI:
 * `git init`, one pack of every object the refs reach through `git index-pack`, the refs with
 * `git update-ref`, HEAD as the same symbolic ref, the shallow list of a shallow repository, and
 * unless `bare`, a checkout of HEAD. `dir` must be empty or not exist.
 *
 * @example
 * await exportRepository({ store, repoId, dir: './docs', bare: false })
 */
export async function exportRepository({
  store,
  repoId,
  dir,
  bare = false,
  onProgress,
}: {
  store: GitStore
  repoId: number
  dir: string
  bare?: boolean
  onProgress?: (progress: ExportProgress) => void
}): Promise<ExportResult> {
  const target = resolve(dir)
  if (!(await isEmptyOrMissing(target)))
    throw new Error(`destination path '${dir}' already exists and is not an empty directory`)
  await mkdir(target, { recursive: true })
  await runGit(['init', '-q', ...(bare ? ['--bare'] : []), target])
  const gitdir = bare ? target : join(target, '.git')

  const { refs, head } = await listAdvertisedRefs(store, repoId)
  const named = refs.filter((r) => r.name !== 'HEAD')
  const wants = [...new Set(named.map((r) => r.oid))]
  onProgress?.({ step: 'counting' })
  const pack = wants.length > 0 ? await preparePack({ store, repoId, wants }) : null
  if (pack) {
    const objects = pack.count
    onProgress?.({ step: 'writing', objects, bytes: 0 })
    const input = counted(pack.stream, (bytes) => onProgress?.({ step: 'writing', objects, bytes }))
    await runGit(['-C', gitdir, 'index-pack', '--stdin'], { input, stdout: false })
  }
  if (named.length > 0) {
    const commands = named.map((r) => `create ${r.name} ${r.oid}\n`).join('')
    await runGit(['-C', gitdir, 'update-ref', '--stdin'], { input: commands })
  }
  const headRef = head ?? 'refs/heads/main'
  await runGit(['-C', gitdir, 'symbolic-ref', 'HEAD', headRef])
  const shallow = await readShallowCommits(store, repoId)
  if (shallow.length > 0)
    await writeFile(join(gitdir, 'shallow'), shallow.map((s) => `${s}\n`).join(''))
  const checkedOut = !bare && named.some((r) => r.name === headRef)
  if (checkedOut) {
    onProgress?.({ step: 'checkout' })
    await runGit(['-C', target, 'reset', '-q', '--hard'])
  }
  return { dir: target, refs: named.length, objects: pack?.count ?? 0, head, checkedOut }
}
