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
 * The loops over rows live in the synchronous helpers below, not in this async function: V8
 * optimises a function once its loops have run long enough, and an async function's optimised
 * code is large and slow to compile, so on a fresh server a long loop here cost more compiling
 * (several times over, as row shapes changed) than it saved.
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
  const ids = indexRows(rows, known)
  let level = rows
  for (let depth = 0; ; depth++) {
    const need = missingBases({ repoId, level, known, contents, cache })
    if (need.length === 0) break
    if (depth >= MAX_LEVELS) throw new GitPgError('CORRUPT_OBJECT', 'a delta chain does not end')
    level = await fetch(need)
    addFetched(known, level, need)
  }
  let inflated: Map<string, Buffer> | null = null
  if (inflate) {
    const { zipped, keys } = zippedRows(known)
    inflated = byKey(keys, await inflate(zipped))
  }
  return new Resolution({ repoId, known, contents, inflated, cache }).objects(rows, ids)
}

/** Records each row by its hex id; returns the ids in the rows' order. */
function indexRows(rows: readonly StoredRow[], known: Map<string, StoredRow>): string[] {
  const ids = new Array<string>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    ids[i] = rows[i].oid.toString('hex')
    known.set(ids[i], rows[i])
  }
  return ids
}

/** The bases of `level` neither read nor resolved: a cached one goes into `contents` instead. */
function missingBases({
  repoId,
  level,
  known,
  contents,
  cache,
}: {
  repoId: number
  level: readonly StoredRow[]
  known: Map<string, StoredRow>
  contents: Map<string, Buffer>
  cache: BaseCache
}): string[] {
  const need = new Set<string>()
  for (const r of level) {
    if (!r.base) continue
    const base = r.base.toString('hex')
    if (known.has(base) || contents.has(base) || need.has(base)) continue
    const cached = cache.get(repoId, base)
    if (cached) contents.set(base, cached)
    else need.add(base)
  }
  return [...need]
}

function addFetched(known: Map<string, StoredRow>, level: readonly StoredRow[], need: string[]) {
  for (const r of level) known.set(r.oid.toString('hex'), r)
  for (const oid of need) if (!known.has(oid)) throw new ObjectNotFoundError(oid)
}

/** The rows whose data must be inflated (zlib, or a delta), with their ids. */
function zippedRows(known: Map<string, StoredRow>): { zipped: StoredRow[]; keys: string[] } {
  const zipped: StoredRow[] = []
  const keys: string[] = []
  for (const [oid, r] of known) {
    if (r.base === null && !r.zlib) continue
    zipped.push(r)
    keys.push(oid)
  }
  return { zipped, keys }
}

function byKey(keys: string[], values: Buffer[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  for (let i = 0; i < keys.length; i++) out.set(keys[i], values[i])
  return out
}

/** Builds each object's content from the rows read, bases first (see `resolveRows`). */
class Resolution {
  readonly #repoId: number
  readonly #known: Map<string, StoredRow>
  readonly #contents: Map<string, Buffer>
  readonly #inflated: Map<string, Buffer> | null
  readonly #cache: BaseCache

  constructor(state: {
    repoId: number
    known: Map<string, StoredRow>
    contents: Map<string, Buffer>
    inflated: Map<string, Buffer> | null
    cache: BaseCache
  }) {
    this.#repoId = state.repoId
    this.#known = state.known
    this.#contents = state.contents
    this.#inflated = state.inflated
    this.#cache = state.cache
  }

  objects(rows: readonly StoredRow[], ids: string[]): Map<string, GitObject> {
    const out = new Map<string, GitObject>()
    for (let i = 0; i < rows.length; i++) {
      const oid = ids[i]
      out.set(oid, { oid, type: CODE_TYPE[rows[i].type], content: this.content(oid) })
    }
    return out
  }

  content(oid: string): Buffer {
    const done = this.#contents.get(oid)
    if (done) return done
    const r = this.#known.get(oid)
    const inflated = this.#inflated?.get(oid)
    // a whole object in hand needs no look-up: the cache is for bases that would be rebuilt
    const cached =
      r && r.base === null && (inflated || !r.zlib) ? undefined : this.#cache.get(this.#repoId, oid)
    if (cached) return cached
    let out: Buffer
    if (r!.base) {
      const base = r!.base.toString('hex')
      const from = this.content(base)
      this.#cache.set(this.#repoId, base, from)
      out = applyDelta(inflated ?? inflateStream(r!.data), from)
    } else out = r!.zlib ? (inflated ?? inflateStream(r!.data, r!.size)) : r!.data
    if (out.length !== r!.size)
      throw new GitPgError('CORRUPT_OBJECT', `object ${oid} is corrupt`, { oid })
    // kept when built here (a delta applied, a stream inflated): what was in hand is as cheap
    if (r!.base || (r!.zlib && !inflated)) this.#contents.set(oid, out)
    return out
  }
}
