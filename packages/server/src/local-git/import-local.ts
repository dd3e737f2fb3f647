import { readFile, stat } from 'node:fs/promises'
import {
  checkConnected,
  importPack,
  readBundle,
  type GitStore,
  type RefUpdate,
} from '@gitpg/git-pg-fs'
import { ApiError } from '../errors.ts'
import { runGit } from './run-git.ts'

export interface LocalSource {
  kind: 'bundle' | 'directory'
  refs: { name: string; oid: string }[]
  /** the branch the source's HEAD names, when it names one */
  head: string | null
  prerequisites: string[]
  pack: Buffer
}

export interface ImportLocalResult {
  project: string
  created: boolean
  objects: number
  /** refs created or moved, with their old and new ids */
  updated: { name: string; old: string | null; new: string }[]
  /** refs that already held the incoming id */
  unchanged: number
}

/** A ref update a plain import must not make: it would drop commits the project has. */
export class NonFastForwardImportError extends ApiError {
  constructor(refs: string[]) {
    super(
      'NON_FAST_FORWARD',
      `${refs.join(', ')}: not a fast-forward of the project's ref (use --force to overwrite)`,
      { refs },
    )
  }
}

const BRANCHES_AND_TAGS = ['refs/heads/', 'refs/tags/']

/** Where a local import is: reading the bundle or packing the repository, then storing. */
export interface ImportLocalProgress {
  step: 'reading' | 'storing'
  /** objects in the pack */
  objects?: number
  /** objects resolved, checked and stored so far */
  resolved?: number
}

/** Reads a bundle file, or packs the branches and tags of a local git repository. */
export async function readLocalSource(path: string): Promise<LocalSource> {
  const info = await stat(path).catch(() => null)
  if (!info) throw new Error(`${path} does not exist`)
  if (info.isFile()) {
    const bundle = readBundle(await readFile(path))
    const headOid = bundle.refs.find((r) => r.name === 'HEAD')?.oid
    const refs = bundle.refs.filter((r) => r.name !== 'HEAD')
    const head =
      refs.find((r) => r.name.startsWith('refs/heads/') && r.oid === headOid)?.name ?? null
    return { kind: 'bundle', refs, head, prerequisites: bundle.prerequisites, pack: bundle.pack }
  }
  const listing = await runGit([
    '-C',
    path,
    'for-each-ref',
    '--format=%(objectname) %(refname)',
    ...BRANCHES_AND_TAGS,
  ])
  const refs = listing
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 41)
    .map((l) => ({ oid: l.slice(0, 40), name: l.slice(41) }))
  const head = (await runGit(['-C', path, 'symbolic-ref', '-q', 'HEAD']).catch(() => null))
    ?.toString('utf8')
    .trim()
  const pack = await runGit(['-C', path, 'pack-objects', '--revs', '--stdout', '-q'], {
    input: [...new Set(refs.map((r) => r.oid))].map((o) => `${o}\n`).join(''),
  })
  return {
    kind: 'directory',
    refs,
    head: head && refs.some((r) => r.name === head) ? head : null,
    prerequisites: [],
    pack,
  }
}

/**
 * Brings a bundle or a local repository back into a project (created when new, its default
 * branch the source's HEAD branch), in one transaction: the objects, then each branch and tag by
 * compare-and-swap. A branch may only fast-forward and an existing tag may not move, unless
 * `force`; otherwise nothing is imported (and a new project is not created).
 *
 * @example
 * await importLocal({ store, project: 'docs', path: './docs.bundle' })
 */
export async function importLocal({
  store,
  project,
  path,
  force = false,
  onProgress,
}: {
  store: GitStore
  project: string
  path: string
  force?: boolean
  onProgress?: (progress: ImportLocalProgress) => void
}): Promise<ImportLocalResult> {
  onProgress?.({ step: 'reading' })
  const source = await readLocalSource(path)
  if (source.refs.length === 0) throw new Error(`${path} has no branches or tags to import`)
  const defaultBranch = source.head?.slice('refs/heads/'.length) ?? 'main'
  return store.transaction(async (tx) => {
    const { repo, created } = await tx.createRepo({ name: project, defaultBranch })
    const repoId = repo.repoId
    if (source.prerequisites.length > 0) {
      const have = await tx.hasObjects(repoId, source.prerequisites)
      const lacking = source.prerequisites.filter((p) => !have.has(p))
      if (lacking.length > 0)
        throw new Error(`project ${project} lacks the bundle's prerequisite commit ${lacking[0]}`)
    }
    // the pack's header holds its object count
    const total = source.pack.length >= 12 ? source.pack.readUInt32BE(8) : undefined
    onProgress?.({ step: 'storing', objects: total, resolved: 0 })
    const imported = await importPack({
      store: tx,
      repoId,
      pack: source.pack,
      onObjects: (resolved) => onProgress?.({ step: 'storing', objects: total, resolved }),
    })
    const { objects } = imported
    const updates: RefUpdate[] = []
    const updated: ImportLocalResult['updated'] = []
    const refused: string[] = []
    let unchanged = 0
    for (const ref of source.refs) {
      const current = (await tx.readRef(repoId, ref.name))?.oid ?? null
      if (current === ref.oid) {
        unchanged++
        continue
      }
      if (current && !force) {
        const ff =
          ref.name.startsWith('refs/heads/') &&
          (await tx.readCommitGraph(repoId, [ref.oid])).has(current)
        if (!ff) {
          refused.push(ref.name)
          continue
        }
      }
      updates.push({ name: ref.name, oid: ref.oid, expected: current })
      updated.push({ name: ref.name, old: current, new: ref.oid })
    }
    if (refused.length > 0) throw new NonFastForwardImportError(refused)
    const tips = updates.flatMap((u) => (u.oid ? [u.oid] : []))
    if (!imported.holds(tips)) await checkConnected({ store: tx, repoId, tips })
    if (updates.length > 0) await tx.updateRefs(repoId, updates)
    return { project, created, objects, updated, unchanged }
  })
}
