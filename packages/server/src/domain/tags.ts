import {
  checkConnected,
  makeObject,
  parseAnnotatedTag,
  RefConflictError,
  serializeTag,
  type AuthorInput,
  type ObjectType,
  type Repository,
  type Signature,
} from '@gitpg/git-pg-fs'
import { ApiError } from '../errors.ts'
import { cleanMessage } from './clean-message.ts'
import { checkTagName } from './ref-names.ts'

/** One tag as the API shows it. */
export interface TagInfo {
  name: string
  /** what the ref holds: the tag object of an annotated tag, else the tagged object */
  oid: string
  /** the type of `oid`: `tag` for an annotated tag, else the tagged object's (`commit`) */
  type: ObjectType
  /** the object the tag finally points at (annotated tags peeled, as `git show-ref -d` does) */
  target: string
  targetType: ObjectType
  /** annotated tags only */
  message?: string
  tagger?: Signature
}

/** Chains of tags pointing at tags are followed this far. */
const MAX_HOPS = 10

/** Every tag of the repository in git's order (by name), annotated ones read and peeled. */
export async function listTags(repo: Repository): Promise<TagInfo[]> {
  const refs = (await repo.store.listRefs(repo.repoId, 'refs/tags/')).filter((r) => r.oid)
  const info = await repo.store.readObjectInfo(repo.repoId, [...new Set(refs.map((r) => r.oid!))])
  const tags = new Map<string, ReturnType<typeof parseAnnotatedTag>>()
  let wanted = [...info].filter(([, i]) => i.type === 'tag').map(([oid]) => oid)
  for (let hop = 0; wanted.length > 0 && hop < MAX_HOPS; hop++) {
    const objects = await repo.reader.readMany(wanted)
    wanted = []
    for (const [oid, o] of objects) {
      const tag = parseAnnotatedTag(o.content)
      tags.set(oid, tag)
      if (tag.type === 'tag' && !tags.has(tag.object)) wanted.push(tag.object)
    }
  }
  return refs.map((r) => {
    const oid = r.oid!
    const outer = tags.get(oid)
    let target = oid
    let targetType = info.get(oid)?.type ?? 'commit'
    for (let hop = 0; tags.has(target) && hop < MAX_HOPS; hop++) {
      const t = tags.get(target)!
      target = t.object
      targetType = t.type
    }
    return {
      name: r.name.slice('refs/tags/'.length),
      oid,
      type: outer ? 'tag' : targetType,
      target,
      targetType,
      ...(outer
        ? { message: outer.message, ...(outer.tagger ? { tagger: outer.tagger } : {}) }
        : {}),
    }
  })
}

const signature = (who: AuthorInput): Signature => ({
  name: who.name,
  email: who.email,
  timestamp: who.timestamp ?? Math.floor(Date.now() / 1000),
  timezoneOffset: who.timezoneOffset ?? 0,
})

/**
 * Creates tag `name` at `target` (a ref or commit id, default the default branch): lightweight
 * without `message`, annotated with one (the tag object byte for byte what `git tag -a -m`
 * writes for the same tagger and date). `TAG_EXISTS` (409) when the tag, or a tag in the way of
 * its name (`v1` for `v1/rc`, or the reverse), exists.
 *
 * @example
 * await createTag({ repo, name: 'v1.0', message: 'first release', tagger: { name, email } })
 */
export async function createTag({
  repo,
  name,
  target,
  message,
  tagger = { name: 'gitpg', email: 'gitpg@localhost' },
}: {
  repo: Repository
  name: string
  target?: string
  message?: string
  tagger?: AuthorInput
}): Promise<TagInfo> {
  const refName = `refs/tags/${checkTagName(name)}`
  const commit = await repo.resolveRef(target)
  const tag =
    message === undefined
      ? null
      : {
          object: commit,
          type: 'commit' as const,
          tag: name,
          tagger: signature(tagger),
          message: cleanMessage(message),
        }
  const object = tag ? makeObject('tag', serializeTag(tag)) : null
  const exists = () => new ApiError('TAG_EXISTS', `tag ${name} already exists`, { tag: name })
  try {
    await repo.store.transaction(async (tx) => {
      // the ref's lock (and with it the GC lock, shared) before the check: garbage collection
      // cannot remove the history checked before the tag points at it
      await tx.lockRef(repo.repoId, refName)
      await checkConnected({ store: tx, repoId: repo.repoId, tips: [commit] })
      const inTheWay = [
        ...(await tx.listRefs(repo.repoId, `${refName}/`)),
        ...(await Promise.all(ancestorRefs(refName).map((n) => tx.readRef(repo.repoId, n)))),
      ].filter((r) => r !== null)
      if (inTheWay.length > 0) throw exists()
      if (object) await tx.writeObjects(repo.repoId, [object])
      await tx.updateRefs(repo.repoId, [
        { name: refName, expected: null, oid: object?.oid ?? commit },
      ])
    })
  } catch (err) {
    if (err instanceof RefConflictError) throw exists()
    throw err
  }
  return {
    name,
    oid: object?.oid ?? commit,
    type: object ? 'tag' : 'commit',
    target: commit,
    targetType: 'commit',
    ...(tag ? { message: tag.message, tagger: tag.tagger } : {}),
  }
}

/** `refs/tags/a/b/c` → `refs/tags/a`, `refs/tags/a/b`. */
function ancestorRefs(refName: string): string[] {
  const parts = refName.split('/')
  const out: string[] = []
  for (let n = 3; n < parts.length; n++) out.push(parts.slice(0, n).join('/'))
  return out
}

/** Deletes tag `name`; `TAG_NOT_FOUND` (404) when there is none. The tag object stays until gc. */
export async function deleteTag({ repo, name }: { repo: Repository; name: string }) {
  const refName = `refs/tags/${checkTagName(name)}`
  const oid = await repo.readRef(refName)
  if (!oid) throw new ApiError('TAG_NOT_FOUND', `tag ${name} does not exist`, { tag: name })
  // a tag moved meanwhile (by a push) is left alone: REF_CONFLICT
  await repo.store.updateRefs(repo.repoId, [{ name: refName, expected: oid, oid: null }])
}
