import { GitPgError, ObjectNotFoundError } from '../../errors.ts'
import { CODE_TYPE, type GitObject } from '../../objects/git-object.ts'
import { applyDelta } from '../../pack/apply-delta.ts'
import { inflateStream } from '../../pack/pack-entry.ts'
import type { BaseCache } from './base-cache.ts'

/** A `git_objects` row as read: zlib bytes (or, before conversion, the raw content). */
export interface StoredRow {
  oid: Buffer
  type: number
  /** the object's inflated size */
  size: number
  zlib: boolean
  base: Buffer | null
  data: Buffer
}

/** Chains longer than this are not followed: stored chains are at most 50 deep. */
const MAX_LEVELS = 1000

/**
 * The objects of `rows`, delta chains resolved: bases not in `rows` nor in `cache` are read one
 * chain level at a time for the whole batch (`fetch`, one query a level), and bases go to
 * `cache` for the next reads. Throws `ObjectNotFoundError` when a base is not stored.
 *
 * @example
 * const objects = await resolveRows({ repoId, rows, cache, fetch: (oids) => selectRows(oids) })
 */
export async function resolveRows({
  repoId,
  rows,
  cache,
  fetch,
  inflate,
}: {
  repoId: number
  rows: readonly StoredRow[]
  cache: BaseCache
  fetch: (oids: string[]) => Promise<StoredRow[]>
  /** inflates many rows' data at once (off the main thread); without it, each row inline */
  inflate?: (rows: readonly StoredRow[]) => Promise<Buffer[]>
}): Promise<Map<string, GitObject>> {
  const known = new Map<string, StoredRow>()
  // bases found in the cache, held here: the cache may drop them before they are applied (the
  // awaits below let other requests fill it, and resolving this batch sets bases too)
  const contents = new Map<string, Buffer>()
  const ids = rows.map((r) => r.oid.toString('hex'))
  for (let i = 0; i < rows.length; i++) known.set(ids[i], rows[i])
  let level = rows
  for (let depth = 0; ; depth++) {
    const need = new Set<string>()
    for (const r of level) {
      if (!r.base) continue
      const base = r.base.toString('hex')
      if (known.has(base) || contents.has(base)) continue
      const cached = cache.get(repoId, base)
      if (cached) contents.set(base, cached)
      else need.add(base)
    }
    if (need.size === 0) break
    if (depth >= MAX_LEVELS) throw new GitPgError('CORRUPT_OBJECT', 'a delta chain does not end')
    level = await fetch([...need])
    for (const r of level) known.set(r.oid.toString('hex'), r)
    for (const oid of need) if (!known.has(oid)) throw new ObjectNotFoundError(oid)
  }
  const inflated = new Map<string, Buffer>()
  if (inflate) {
    const zipped: StoredRow[] = []
    const keys: string[] = []
    for (const [oid, r] of known) {
      if (r.base === null && !r.zlib) continue
      zipped.push(r)
      keys.push(oid)
    }
    const out = await inflate(zipped)
    for (let i = 0; i < zipped.length; i++) inflated.set(keys[i], out[i])
  }
  const content = (oid: string): Buffer => {
    const done = contents.get(oid) ?? cache.get(repoId, oid)
    if (done) return done
    const r = known.get(oid)!
    let out: Buffer
    if (r.base) {
      const base = r.base.toString('hex')
      const from = content(base)
      cache.set(repoId, base, from)
      out = applyDelta(inflated.get(oid) ?? inflateStream(r.data), from)
    } else out = r.zlib ? (inflated.get(oid) ?? inflateStream(r.data, r.size)) : r.data
    if (out.length !== r.size)
      throw new GitPgError('CORRUPT_OBJECT', `object ${oid} is corrupt`, { oid })
    contents.set(oid, out)
    return out
  }
  const out = new Map<string, GitObject>()
  for (let i = 0; i < rows.length; i++) {
    const oid = ids[i]
    out.set(oid, { oid, type: CODE_TYPE[rows[i].type], content: content(oid) })
  }
  return out
}
