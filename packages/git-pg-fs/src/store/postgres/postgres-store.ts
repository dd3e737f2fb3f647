import type pg from 'pg'
import { pipeline } from 'node:stream/promises'
import { deflateSync } from 'node:zlib'
import { Readable } from 'node:stream'
import copyStreams from 'pg-copy-streams'
import { CODE_TYPE, TYPE_CODE, type GitObject, type ObjectType } from '../../objects/git-object.ts'
import { GitPgError, ObjectNotFoundError, RepoNotFoundError } from '../../errors.ts'
import type {
  FullPackRecord,
  GitStore,
  GraphCommit,
  ObjectInfo,
  RefRecord,
  RefUpdate,
  RemoteConfig,
  RepoRecord,
  StoredObject,
  StoredRowView,
} from '../git-store.ts'
import type { Database, Executor, Transaction } from './database.ts'
import { bindRepo, type RepoStore } from '../repo-view.ts'
import { COPY_COLUMNS, copyObjectRows } from './copy-binary.ts'
import { BaseCache } from './base-cache.ts'
import { BackgroundInflater } from '../../pack/background-inflater.ts'
import { resolveRows, type StoredRow } from './resolve-objects.ts'
import {
  LARGE_CONTENT,
  SELECT_CHAINS,
  SELECT_ROWS,
  SELECT_WITHIN,
  copyWithinSql,
} from './object-rows-sql.ts'
import { CopyRowParser, type CopiedRow } from './copy-row-parser.ts'
import { storedForm } from './stored-form.ts'
import { BatchedLookup } from './batched-lookup.ts'
import * as files from './files-table.ts'
import * as refs from './refs-table.ts'
import type { RefChange } from './refs-table.ts'

export type { RefChange } from './refs-table.ts'
import { insertGraph, readCommitGraph } from './commit-graph-table.ts'
import { freshenUnreachable } from './unreachable-table.ts'
import { lockGcShared } from './gc-lock.ts'
import type { QueryResult } from '../executor.ts'
import { fitDeltaDepths } from './delta-depths.ts'
import { SELECT_REPOS, toRepo, type RepoRow } from './repos-table.ts'
import { copyObjectsOut, idRange, pageObjects, type ObjectsQuery } from './stream-objects.ts'
import { PACK_ORDER, streamEverything } from './stream-everything.ts'
import { readFullPack, recordFullPack } from './full-packs-table.ts'
import { hideRepo } from './deleted-repos.ts'
import { purgeRepo, type PurgeOptions } from './purge-deleted-repos.ts'
import { oidBytes } from './oid-bytes.ts'
import type { PackIndexCache } from './packs/pack-index-cache.ts'
import { PackedObjects } from './packs/packed-objects.ts'
import { countDistinct, findPrefix } from './packs/packed-ids.ts'
import { streamPacked } from './packs/stream-packed.ts'

const CHUNK = 2000
/** the repositories whose GC lock a transaction holds (shared), by its handle */
const gcLocked = new WeakMap<Transaction, Set<number>>()
/** `repoId:oid` of the commits and tags a transaction wrote or found stored, by its handle */
const writtenTips = new WeakMap<Transaction, Set<string>>()
/** Up to this many objects, a write looks them up without first asking if any is stored. */
const LOOKUP_AT_ONCE = 1000
/** Deltas met in a stream are resolved this many at a time: one query a chain level each. */
const DELTA_GROUP = 1000

export type RefsUpdatedHook = (
  tx: PostgresStore,
  repoId: number,
  changes: readonly RefChange[],
) => Promise<void>

/**
 * A read of at least this many stored bytes is inflated on a worker thread (see
 * `readObjectsWithin`): below it, the round trip to the worker costs more than it saves.
 */
const BACKGROUND_INFLATE = 256 * 1024
/** The worker shared by every store of the process. */
const inflater = new BackgroundInflater()
/**
 * Starts the worker that large reads inflate on, so that the first of them does not wait for
 * the thread to start (a server calls this at its start).
 *
 * @example
 * startInflateWorker()
 */
export const startInflateWorker = (): void => inflater.start()
const inflateAway = (rows: readonly StoredRow[]) =>
  inflater.inflate(rows.map((r) => ({ data: r.data, size: r.base ? undefined : r.size })))

/** The entries of `more` (only those of `keys`, if given) into `out`. */
function addAll<K, V>(out: Map<K, V>, more: Map<K, V>, keys: readonly K[] | null): void {
  if (keys === null) for (const [k, v] of more) out.set(k, v)
  else
    for (const k of keys) {
      const v = more.get(k)
      if (v !== undefined) out.set(k, v)
    }
}

/**
 * Query rows in the shape `CopyRowParser` gives its rows, so that code reading both kinds sees
 * one shape (a second one costs V8 a round of deoptimising and compiling again).
 */
function asCopiedRows(rows: readonly StoredRow[]): StoredRow[] {
  const out = new Array<StoredRow>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const { oid, type, size, zlib, data, base } = rows[i]
    out[i] = { oid, type, wanted: true, size, zlib, data, base } as StoredRow
  }
  return out
}

/**
 * The rows a read within a byte budget brings (`readObjectsWithin`): the ids of those not
 * wanted go to `unread`; `large` are the wanted rows whose data must be read apart.
 */
function splitWanted(
  rows: readonly CopiedRow[],
  unread: string[],
): { wanted: CopiedRow[]; large: CopiedRow[] } {
  const wanted: CopiedRow[] = []
  const large: CopiedRow[] = []
  for (const r of rows) {
    if (!r.wanted) unread.push(r.oid.toString('hex'))
    else {
      if (r.data === null) large.push(r)
      wanted.push(r)
    }
  }
  return { wanted, large }
}

/**
 * Contents larger than this are inserted one per statement as a binary parameter, not in a
 * multi-row INSERT's `bytea[]` (hex text, twice their size, in one string).
 */
const BINARY_INSERT = 64 * 1024
/** Contents of this size or more are written by binary COPY (see `#copyLarge`). */
const COPY_LARGE = 1024 * 1024

/**
 * The git store in PostgreSQL.
 *
 * @example
 * const store = new PostgresStore({ db })
 * const { repo } = await store.createRepo({ name: 'docs' })
 */
const HAS_OBJECTS =
  'SELECT oid, NULL::bigint AS pack, NULL::integer AS objects FROM git_objects WHERE repo_id = $1 AND oid = ANY($2::bytea[])'
const HAS_OBJECTS_AND_PACKS = `${HAS_OBJECTS}
  UNION ALL SELECT NULL, pack_id, objects FROM git_packs WHERE repo_id = $1`

export class PostgresStore implements GitStore {
  readonly db: Database
  /** the pool, or the queued handle of the transaction this store is bound to */
  readonly executor: Executor
  readonly onRefsUpdated: RefsUpdatedHook | undefined
  /** the transaction this store is bound to, or null */
  readonly #tx: Transaction | null
  #inTransaction: boolean
  /** look-ups from concurrent requests, one query per batch (outside transactions only) */
  #repoLookup: BatchedLookup<string, RepoRecord> | undefined
  #refLookup: BatchedLookup<{ repoId: number; name: string }, RefRecord> | undefined
  /** resolved delta bases, shared with the stores of this store's transactions */
  readonly #bases: BaseCache
  /** the packs' indexes (cold objects), shared likewise */
  readonly #packed: PackedObjects

  constructor({
    db,
    executor,
    onRefsUpdated,
    bases,
    packs,
  }: {
    db: Database
    /** the transaction to bind this store to */
    executor?: Transaction
    /** runs in the transaction of every ref change, after the refs moved (e.g. a change feed) */
    onRefsUpdated?: RefsUpdatedHook
    /** resolved delta bases (default: 32 MB of its own) */
    bases?: BaseCache
    /** the indexes of repositories' packs (default: 8 MB of its own) */
    packs?: PackIndexCache
  }) {
    this.db = db
    this.#bases = bases ?? new BaseCache()
    this.#packed = new PackedObjects(packs)
    this.#tx = executor ?? null
    this.executor = executor ?? db
    this.onRefsUpdated = onRefsUpdated
    this.#inTransaction = executor !== undefined
  }

  repo(repoId: number): RepoStore {
    return bindRepo(this, repoId)
  }

  async transaction<T>(fn: (tx: PostgresStore) => Promise<T>): Promise<T> {
    if (this.#inTransaction) return fn(this)
    return this.db.transaction((handle) =>
      fn(
        new PostgresStore({
          db: this.db,
          executor: handle,
          onRefsUpdated: this.onRefsUpdated,
          bases: this.#bases,
          packs: this.#packed.cache,
        }),
      ),
    )
  }

  async createRepo({ name, defaultBranch = 'main' }: { name: string; defaultBranch?: string }) {
    return this.transaction(async (tx) => {
      const inserted = await tx.executor.query<RepoRow>(
        `INSERT INTO repos (name, default_branch) VALUES ($1, $2)
         ON CONFLICT (name) DO NOTHING RETURNING *`,
        [name, defaultBranch],
      )
      if (inserted.rows.length === 0) {
        const repo = await tx.getRepo(name)
        if (!repo) throw new GitPgError('REPO_NOT_FOUND', `repository ${name} vanished`)
        return { repo, created: false }
      }
      const repo = toRepo(inserted.rows[0])
      await tx.executor.query(
        `INSERT INTO git_refs (repo_id, name, target) VALUES ($1, 'HEAD', $2)`,
        [repo.repoId, `refs/heads/${defaultBranch}`],
      )
      await tx.writeFile(
        repo.repoId,
        'config',
        Buffer.from('[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n'),
      )
      return { repo, created: true }
    })
  }

  async getRepo(name: string): Promise<RepoRecord | null> {
    if (this.#inTransaction) {
      const { rows } = await this.executor.query<RepoRow>(`${SELECT_REPOS} WHERE r.name = $1`, [
        name,
      ])
      return rows[0] ? toRepo(rows[0]) : null
    }
    this.#repoLookup ??= new BatchedLookup({
      key: (n: string) => n,
      run: async (names) => {
        const { rows } = await this.#hot<RepoRow>(
          'gitpg_repos',
          `${SELECT_REPOS} WHERE r.name = ANY($1::text[])`,
          [names],
        )
        return new Map(rows.map((r) => [r.name, toRepo(r)]))
      },
    })
    return (await this.#repoLookup.get(name)) ?? null
  }

  async updateRepo(
    repoId: number,
    patch: { defaultBranch?: string; remote?: RemoteConfig | null },
  ) {
    if (patch.defaultBranch !== undefined) {
      await this.executor.query('UPDATE repos SET default_branch = $2 WHERE repo_id = $1', [
        repoId,
        patch.defaultBranch,
      ])
    }
    if (patch.remote !== undefined) {
      await this.executor.query('UPDATE repos SET remote = $2 WHERE repo_id = $1', [
        repoId,
        patch.remote === null ? null : JSON.stringify(patch.remote),
      ])
    }
  }

  /**
   * Hides the repository in one short transaction (its name is free again at once), then, unless
   * this store is bound to a transaction, removes its rows in bounded transactions. In a
   * transaction, the rest is left queued for `purgeDeletedRepos` (maintenance) to remove.
   */
  async deleteRepo(repoId: number, options: PurgeOptions = {}): Promise<void> {
    await this.transaction((tx) => hideRepo(tx.executor, repoId))
    this.#packed.cache.forget(repoId)
    if (!this.#inTransaction) await purgeRepo({ db: this.db, repoId, options })
  }

  /** Where packed objects are read from: `#hot`, each text prepared under a name of its own. */
  readonly #packReads: Executor = {
    query: (text, values = []) => this.#hot(preparedName(text), text, values),
  }

  /** A hot fixed-text query: prepared on the pool's connections, plain in a transaction. */
  #hot<R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]) {
    return this.#inTransaction
      ? this.executor.query<R>(text, values)
      : this.db.queryPrepared<R>(name, text, values)
  }

  async readObjects(
    repoId: number,
    oids: readonly string[],
    { chains = false }: { chains?: boolean } = {},
  ): Promise<Map<string, GitObject>> {
    const unique = [...new Set(oids)]
    const read = chains ? 'chains' : 'rows'
    const out = new Map<string, GitObject>()
    for (let i = 0; i < unique.length; i += CHUNK) {
      const batch = unique.slice(i, i + CHUNK)
      const bases = new Map<string, StoredRow>()
      const rows = await this.#readRows(repoId, batch, read, bases)
      const found = await this.#resolve(repoId, rows, { bases })
      // with chains, the bases read along are resolved too: only the objects asked for are given
      if (!chains && unique.length <= CHUNK) return found
      addAll(out, found, chains ? batch : null)
    }
    return out
  }

  /**
   * `rows` resolved, the chains of delta bases neither in them nor cached read in one query
   * (`chains`) or a level a query (`rows`); `inflate` inflates the rows in bulk (off the main
   * thread). A base that vanished between the reads means garbage collection stored the row
   * again whole and removed its base meanwhile: the rows are read again. `bases` holds the
   * packed entries the chains of `given` go through, read with them (see `#readRows`).
   */
  async #resolve(
    repoId: number,
    given: readonly StoredRow[],
    {
      read = 'chains',
      inflate,
      bases = new Map(),
    }: {
      read?: 'rows' | 'chains'
      inflate?: (rows: readonly StoredRow[]) => Promise<Buffer[]>
      bases?: Map<string, StoredRow>
    } = {},
  ): Promise<Map<string, GitObject>> {
    let prefetched = bases
    const fetch = async (oids: string[]) => {
      // the packed chains read with the rows come first: every level of them at once
      const out = [...prefetched.values()]
      const rest = oids.filter((oid) => !prefetched.has(oid))
      prefetched = new Map()
      if (rest.length > 0) out.push(...(await this.#readRows(repoId, rest, read)))
      return out
    }
    let rows = given
    for (let attempt = 0; ; attempt++) {
      try {
        return await resolveRows({ repoId, rows, cache: this.#bases, fetch, inflate })
      } catch (err) {
        if (!(err instanceof ObjectNotFoundError) || attempt >= 2) throw err
        prefetched = new Map()
        rows = await this.#readRows(
          repoId,
          rows.map((r) => r.oid.toString('hex')),
          'rows',
          prefetched,
        )
      }
    }
  }

  /**
   * Stored rows by id, as they are (zlib bytes, whole or deltas); with `chains`, the rows of
   * their delta bases too, to the ends of their chains. `oids` are distinct. Packed objects come
   * as rows too, and the entries their chains go through (not in the base cache) go to `bases`
   * when given, else with the rows: ids the cached pack indexes know are read from their packs
   * first (an id's content is the same wherever it is stored), one query for every chain; the
   * others from rows, and those no row holds from packs listed again.
   */
  async #readRows(
    repoId: number,
    oids: readonly string[],
    read: 'rows' | 'chains' = 'rows',
    bases?: Map<string, StoredRow>,
  ): Promise<StoredRow[]> {
    const found: StoredRow[] = []
    const have = new Set<string>()
    const fromPacks = async (ids: readonly string[]) => {
      const packed = await this.#packed.readRows(this.#packReads, {
        repoId,
        oids: ids,
        cached: (oid) => have.has(oid) || this.#bases.get(repoId, oid) !== undefined,
      })
      for (const r of packed.rows) {
        found.push(r)
        have.add(r.oid.toString('hex'))
      }
      if (bases) for (const r of packed.bases) bases.set(r.oid.toString('hex'), r)
      else found.push(...packed.bases)
    }
    let rest = oids
    const known = this.#packed.known(repoId, oids)
    if (known.length > 0) {
      await fromPacks(known)
      rest = oids.filter((oid) => !have.has(oid))
      if (rest.length === 0) return found
    }
    const { rows } = await this.#hot<StoredRow & { data: Buffer | null }>(
      read === 'rows' ? 'gitpg_object_rows' : 'gitpg_object_chains',
      read === 'rows' ? SELECT_ROWS : SELECT_CHAINS,
      [repoId, oidBytes(rest)],
    )
    for (const r of rows) r.data ??= await this.#readLarge(repoId, r.oid)
    const copied = asCopiedRows(rows as StoredRow[])
    if (read === 'rows' && rows.length >= rest.length) {
      if (found.length === 0) return copied
      for (const r of copied) found.push(r)
      return found
    }
    for (const r of copied) {
      found.push(r)
      have.add(r.oid.toString('hex'))
    }
    const missing = rest.filter((oid) => !have.has(oid))
    if (missing.length > 0) await fromPacks(missing)
    return found
  }

  async readObjectsWithin(
    repoId: number,
    oids: readonly string[],
    maxBytes: number,
  ): Promise<{ objects: Map<string, GitObject>; unread: string[] }> {
    const unique = [...new Set(oids)].slice(0, CHUNK)
    const unread = [...new Set(oids)].slice(CHUNK)
    if (unique.length === 0) return { objects: new Map(), unread }
    // the running total of object sizes decides which are read: the others are never detoasted
    const rows = await this.#rowsWithin(repoId, unique, maxBytes)
    const { wanted, large } = splitWanted(rows, unread)
    for (const r of large) r.data = await this.#readLarge(repoId, r.oid)
    let bytes = 0
    let size = 0
    for (const r of wanted) {
      bytes += r.data!.length
      size += r.size
    }
    const all: StoredRow[] = wanted as StoredRow[]
    const bases = new Map<string, StoredRow>()
    if (rows.length < unique.length) {
      // packed objects: wanted while the sizes stay within the budget too
      const have = new Set(rows.map((r) => r.oid.toString('hex')))
      const missing = unique.filter((oid) => !have.has(oid))
      const found = await this.#packed.locate(this.#packReads, { repoId, oids: missing })
      const take: string[] = []
      for (const [oid, at] of found) {
        const { size: n } = at.index.entry(at.pos)
        if (all.length + take.length > 0 && size + n > maxBytes) unread.push(oid)
        else {
          take.push(oid)
          size += n
        }
      }
      const packed = await this.#packed.readRows(this.#packReads, {
        repoId,
        oids: take,
        cached: (oid) => this.#bases.get(repoId, oid) !== undefined,
      })
      for (const r of packed.rows) bytes += r.data.length
      for (const r of packed.bases) bases.set(r.oid.toString('hex'), r)
      for (const r of packed.rows) all.push(r)
    }
    const inflate = bytes >= BACKGROUND_INFLATE ? inflateAway : undefined
    const resolved = await this.#resolve(repoId, all, { inflate, bases })
    if (all.every((r) => 'wanted' in r)) return { objects: resolved, unread }
    // in the order asked for, as rows alone come
    const objects = new Map<string, GitObject>()
    for (const oid of unique) {
      const o = resolved.get(oid)
      if (o) objects.set(oid, o)
    }
    return { objects, unread }
  }

  /**
   * The rows `readObjectsWithin` reads, with whether each is wanted: by binary COPY where it can
   * (no hex text to decode), else by a query.
   */
  async #rowsWithin(repoId: number, oids: string[], maxBytes: number): Promise<CopiedRow[]> {
    if (this.db.supportsCopy && !this.#tx) {
      const client = await this.db.pool.connect()
      let finished = false
      try {
        const stream = client.query(copyStreams.to(copyWithinSql({ repoId, oids, maxBytes })))
        const parser = new CopyRowParser(null)
        const rows: CopiedRow[] = []
        for await (const chunk of stream as AsyncIterable<Buffer>) parser.push(chunk, rows)
        if (!parser.ended) throw new Error('COPY ended before its trailer')
        finished = true
        return rows
      } finally {
        client.release(finished ? undefined : new Error('COPY abandoned'))
      }
    }
    const { rows } = await this.#hot<CopiedRow>('gitpg_objects_within', SELECT_WITHIN, [
      repoId,
      oidBytes(oids),
      maxBytes,
    ])
    return rows
  }

  /** A large stored value, in pieces that each stay well within a string's length as hex. */
  async #readLarge(repoId: number, oid: Buffer): Promise<Buffer> {
    const { rows } = await this.executor.query<{ length: number }>(
      'SELECT octet_length(data) AS length FROM git_objects WHERE repo_id = $1 AND oid = $2',
      [repoId, oid],
    )
    const length = rows[0].length
    const out = Buffer.allocUnsafe(length)
    for (let at = 0; at < length; at += LARGE_CONTENT) {
      const piece = await this.executor.query<{ part: Buffer }>(
        'SELECT substring(data from $3 for $4) AS part FROM git_objects WHERE repo_id = $1 AND oid = $2',
        [repoId, oid, at + 1, LARGE_CONTENT],
      )
      piece.rows[0].part.copy(out, at)
    }
    return out
  }

  async hasObjects(repoId: number, oids: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>()
    const unique = [...new Set(oids)]
    // the first query lists the repository's packs too: a miss then costs no round trip more
    const given = new Map<number, number>()
    for (let i = 0; i < unique.length; i += CHUNK * 5) {
      const { rows } = await this.executor.query<{
        oid: Buffer | null
        pack: string | null
        objects: number
      }>(i === 0 ? HAS_OBJECTS_AND_PACKS : HAS_OBJECTS, [
        repoId,
        oidBytes(unique.slice(i, i + CHUNK * 5)),
      ])
      for (const r of rows)
        if (r.oid) out.add(r.oid.toString('hex'))
        else given.set(Number(r.pack), r.objects)
    }
    if (out.size < unique.length) {
      // a write skips what this finds: the pack list is the one read just now, so a pack
      // another server rewrote since is not trusted
      const missing = unique.filter((oid) => !out.has(oid))
      const found = await this.#packed.locate(this.#packReads, {
        repoId,
        oids: missing,
        verify: true,
        given,
      })
      for (const oid of found.keys()) out.add(oid)
    }
    return out
  }

  async readObjectInfo(repoId: number, oids: readonly string[]): Promise<Map<string, ObjectInfo>> {
    const out = new Map<string, ObjectInfo>()
    const unique = [...new Set(oids)]
    for (let i = 0; i < unique.length; i += CHUNK * 5) {
      const { rows } = await this.executor.query<{ oid: Buffer; type: number; size: number }>(
        'SELECT oid, type, size FROM git_objects WHERE repo_id = $1 AND oid = ANY($2::bytea[])',
        [repoId, oidBytes(unique.slice(i, i + CHUNK * 5))],
      )
      for (const r of rows)
        out.set(r.oid.toString('hex'), { type: CODE_TYPE[r.type], size: r.size })
    }
    if (out.size < unique.length) {
      const missing = unique.filter((oid) => !out.has(oid))
      for (const [oid, at] of await this.#packed.locate(this.#packReads, {
        repoId,
        oids: missing,
      })) {
        const { type, size } = at.index.entry(at.pos)
        out.set(oid, { type: CODE_TYPE[type], size })
      }
    }
    return out
  }

  async *streamObjects(
    repoId: number,
    type: ObjectType,
    range?: { part: number; parts: number },
  ): AsyncGenerator<GitObject[]> {
    const resolve = (rows: StoredRow[]) => this.#resolve(repoId, rows, { read: 'rows' })
    // whole objects go out as they come; deltas wait in groups whose bases are read together
    let deltas: StoredRow[] = []
    // in pages, not by COPY: bases are read between pages, and a COPY holding its connection
    // meanwhile could leave none for them when every connection of the pool is streaming
    const pages = pageObjects(this.executor, { repoId, type, ...idRange(range) })
    for await (const rows of this.#withPacked({ repoId, type, range, rows: pages })) {
      const whole = rows.filter((r) => r.base === null)
      if (whole.length > 0) yield [...(await resolve(whole)).values()]
      for (const r of rows) if (r.base !== null) deltas.push(r)
      if (deltas.length >= DELTA_GROUP) {
        yield [...(await resolve(deltas)).values()]
        deltas = []
      }
    }
    if (deltas.length > 0) yield [...(await resolve(deltas)).values()]
  }

  /**
   * `rows` (of a type, in a part of the ids) as they come, then the packed objects of that part
   * they did not send: rows are probed in the packs listed before they are read, and the entries
   * of packs listed only after (written meanwhile) are looked up among rows. An object a pack
   * took from rows while they were read may come twice, never not at all.
   */
  async *#withPacked({
    repoId,
    type,
    range,
    rows,
  }: {
    repoId: number
    type: ObjectType
    range?: { part: number; parts: number }
    rows: AsyncIterable<StoredRow[]>
  }): AsyncGenerator<StoredRow[]> {
    const before = await this.#packed.packs(this.executor, repoId, true)
    const sent = new Set<string>()
    for await (const batch of rows) {
      if (before.packs.size > 0)
        for (const r of batch) if (before.find(r.oid)) sent.add(r.oid.toString('hex'))
      yield batch
    }
    const after = await this.#packed.packs(this.executor, repoId, true)
    if (after.packs.size === 0) return
    yield* streamPacked(this.executor, {
      repoId,
      packs: after,
      type,
      ...idRange(range),
      exclude: sent,
      check: new Set([...after.packs.keys()].filter((id) => !before.packs.has(id))),
      relist: () => this.#packed.packs(this.executor, repoId, true),
    })
  }

  async *streamStored(
    repoId: number,
    type: ObjectType,
    range?: { part: number; parts: number },
  ): AsyncGenerator<StoredObject[]> {
    for await (const rows of this.#streamRows(repoId, type, range)) {
      yield rows.map((r) => storedObject(r, type))
    }
  }

  async *streamEverything(repoId: number): AsyncGenerator<{ count: number } | StoredRowView[]> {
    // a row not converted yet is compressed on the way
    const packed = (rows: StoredRow[]) =>
      rows.every((r) => r.zlib) ? rows : rows.map((r) => ({ ...r, data: deflateSync(r.data) }))
    if (this.#tx) {
      // the transaction's own snapshot, in pages
      yield { count: await this.countObjects(repoId) }
      for (const type of PACK_ORDER)
        for await (const rows of this.#streamRows(repoId, type)) yield packed(rows)
      return
    }
    for await (const item of streamEverything(this.db, { repoId, packs: this.#packed }))
      yield 'count' in item ? item : packed(item.rows)
  }

  readFullPack(repoId: number): Promise<FullPackRecord | null> {
    return readFullPack(this.executor, repoId)
  }

  recordFullPack(repoId: number, record: FullPackRecord): Promise<void> {
    return recordFullPack(this.executor, { repoId, ...record })
  }

  async *#streamRows(
    repoId: number,
    type: ObjectType,
    range?: { part: number; parts: number },
  ): AsyncGenerator<StoredRow[]> {
    const query = { repoId, type, ...idRange(range) }
    // in a transaction, pages: a COPY would hold its connection between batches, and the
    // consumer may query the same transaction meanwhile
    const rows =
      !this.db.supportsCopy || this.#tx ? pageObjects(this.executor, query) : this.#copyRows(query)
    yield* this.#withPacked({ repoId, type, range, rows })
  }

  async *#copyRows(query: ObjectsQuery): AsyncGenerator<StoredRow[]> {
    const client = await this.db.pool.connect()
    let finished = false
    try {
      yield* copyObjectsOut(client, query)
      finished = true
    } finally {
      // a COPY abandoned halfway leaves the connection mid-protocol: it is closed, not reused
      client.release(finished ? undefined : new Error('COPY abandoned'))
    }
  }

  readCommitGraph(repoId: number, heads: readonly string[]): Promise<Map<string, GraphCommit>> {
    return readCommitGraph(this.executor, { repoId, heads })
  }

  async countObjects(repoId: number): Promise<number> {
    const packs = await this.#packed.packs(this.executor, repoId, true)
    return (await countDistinct(this.executor, { repoId, packs })).count
  }

  async findObjects(repoId: number, prefix: string, limit = 2): Promise<string[]> {
    if (!/^[0-9a-f]{4,40}$/.test(prefix)) return []
    const even = prefix.length % 2 === 0 ? prefix : prefix.slice(0, -1)
    const lo = Buffer.from(even, 'hex')
    const { rows } = await this.executor.query<{ oid: Buffer }>(
      `SELECT oid FROM git_objects WHERE repo_id = $1 AND oid >= $2 AND substring(oid from 1 for $3) = $2
       ORDER BY oid LIMIT $4`,
      [repoId, lo, lo.length, limit * 16],
    )
    const found = rows.map((r) => r.oid.toString('hex')).filter((o) => o.startsWith(prefix))
    if (found.length >= limit) return found.slice(0, limit)
    // fewer than asked for: the packs' ids too, listed again (a short id is resolved rarely)
    const packs = await this.#packed.packs(this.executor, repoId, true)
    const all = new Set([...found, ...findPrefix(packs, { prefix, lo, limit })])
    return [...all].sort().slice(0, limit)
  }

  async writeObjects(repoId: number, objects: readonly GitObject[]): Promise<number> {
    if (objects.length === 0) return 0
    const byOid = new Map(objects.map((o) => [o.oid, o]))
    // the existence check runs under the GC lock, in the transaction that writes: an object
    // found stored here cannot be collected before this transaction commits
    return this.transaction(async (tx) => {
      await tx.#lockGc(repoId)
      // A repository's first import needs no look-up of what it already holds; a few objects
      // (a commit's) are looked up at once, without asking first.
      const existing =
        byOid.size <= LOOKUP_AT_ONCE || (await tx.hasAnyObjects(repoId))
          ? await tx.hasObjects(repoId, [...byOid.keys()])
          : new Set()
      tx.#noteWritten(repoId, objects)
      const unstored = [...byOid.values()].filter((o) => !existing.has(o.oid))
      // objects found stored are being used again: their prune age starts over
      await freshenUnreachable(tx.executor, { repoId, oids: [...existing] as string[] })
      if (unstored.length === 0) return 0
      const fresh = await fitDeltaDepths(tx.executor, { repoId, objects: unstored })
      if (tx.db.supportsCopy && fresh.length > 200) await tx.#copyObjects(repoId, fresh)
      else await tx.#insertObjects(repoId, fresh)
      await insertGraph(tx.executor, { repoId, commits: fresh.filter((o) => o.type === 'commit') })
      return fresh.length
    })
  }

  /**
   * Notes the commits and tags of `objects` as stored for this transaction: stored now, or found
   * stored under the GC lock, which keeps them until it commits. A ref update to one of them
   * needs no look-up.
   */
  #noteWritten(repoId: number, objects: readonly GitObject[]) {
    if (!this.#tx) return
    let written = writtenTips.get(this.#tx)
    if (!written) writtenTips.set(this.#tx, (written = new Set()))
    for (const o of objects)
      if (o.type === 'commit' || o.type === 'tag') written.add(`${repoId}:${o.oid}`)
  }

  /** Whether this transaction stored (or found stored) `oid` (see `#noteWritten`). */
  #wrote(repoId: number, oid: string): boolean {
    return this.#tx !== null && (writtenTips.get(this.#tx)?.has(`${repoId}:${oid}`) ?? false)
  }

  /**
   * Takes the repository's GC lock in shared mode, once per transaction (see `lockGcShared`):
   * check. A store bound to no transaction takes none: its writes open their own transaction
   * and lock there (a `lockRef` outside a transaction holds nothing, this lock no more).
   * `then` (parameterless statements) run in the same round trip when the lock is taken here:
   * their results, or null when the lock was held already (they did not run).
   */
  async #lockGc(repoId: number, then: readonly string[] = []): Promise<QueryResult[] | null> {
    if (!this.#tx) return null
    let locked = gcLocked.get(this.#tx)
    if (!locked) gcLocked.set(this.#tx, (locked = new Set()))
    if (locked.has(repoId)) return null
    const taken = await lockGcShared(this.executor, repoId, then)
    if (!taken.live) throw new RepoNotFoundError(String(repoId))
    locked.add(repoId)
    return taken.then
  }

  async hasAnyObjects(repoId: number): Promise<boolean> {
    const { rows } = await this.executor.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM git_objects WHERE repo_id = $1)
         OR EXISTS (SELECT 1 FROM git_packs WHERE repo_id = $1) AS any`,
      [repoId],
    )
    return rows[0].any
  }

  async loadObjects(repoId: number, objects: AsyncIterable<GitObject>): Promise<number> {
    if (!this.db.supportsCopy) {
      const all: GitObject[] = []
      for await (const o of objects) all.push(o)
      return this.writeObjects(repoId, all)
    }
    const seen = new Set<string>()
    const commits: GitObject[] = []
    async function* unique() {
      for await (const o of objects) {
        if (seen.has(o.oid)) continue
        seen.add(o.oid)
        if (o.type === 'commit') commits.push(o)
        yield o
      }
    }
    await this.transaction(async (tx) => {
      await tx.#lockGc(repoId)
      await tx.#copyObjects(repoId, unique())
      await insertGraph(tx.executor, { repoId, commits })
    })
    return seen.size
  }

  async #insertObjects(repoId: number, given: readonly GitObject[]) {
    const rows = given.map((o) => ({ o, ...storedForm(o) }))
    let all = rows
    if (this.db.supportsCopy && all.some((r) => r.data.length >= COPY_LARGE)) {
      await this.#copyLarge(
        repoId,
        all.filter((r) => r.data.length >= COPY_LARGE).map((r) => ({ ...r.o, packed: r })),
      )
      all = all.filter((r) => r.data.length < COPY_LARGE)
    }
    const insert = `INSERT INTO git_objects (repo_id, oid, type, size, data, base, depth, zlib)`
    for (const r of all.filter((r) => r.data.length > BINARY_INSERT)) {
      // one row, its data a binary parameter (no hex text)
      await this.executor.query(
        `${insert} VALUES ($1, $2, $3, $4, $5, $6, $7, true) ON CONFLICT DO NOTHING`,
        [
          repoId,
          Buffer.from(r.o.oid, 'hex'),
          TYPE_CODE[r.o.type],
          r.o.content.length,
          r.data,
          r.base === null ? null : Buffer.from(r.base, 'hex'),
          r.depth,
        ],
      )
    }
    const small = all.filter((r) => r.data.length <= BINARY_INSERT)
    for (let i = 0; i < small.length; i += CHUNK) {
      const chunk = small.slice(i, i + CHUNK)
      await this.executor.query(
        `${insert} SELECT $1, oid, type, size, data, base, depth, true
         FROM unnest($2::bytea[], $3::int2[], $4::int4[], $5::bytea[], $6::bytea[], $7::int2[])
           AS x(oid, type, size, data, base, depth)
         ON CONFLICT DO NOTHING`,
        [
          repoId,
          oidBytes(chunk.map((r) => r.o.oid)),
          chunk.map((r) => TYPE_CODE[r.o.type]),
          chunk.map((r) => r.o.content.length),
          chunk.map((r) => r.data),
          chunk.map((r) => (r.base === null ? null : Buffer.from(r.base, 'hex'))),
          chunk.map((r) => r.depth),
        ],
      )
    }
  }

  /**
   * Writes large contents by binary COPY, which sends each as it is (a query parameter is first
   * copied into the message: another buffer of its size). COPY cannot skip a row that exists,
   * so writers of one large object take turns (a lock on its id until their transaction ends):
   * a later one waits for the earlier one's commit, then finds the object stored and skips it.
   */
  async #copyLarge(repoId: number, objects: readonly GitObject[]) {
    // in one order, so that two writers do not each wait for the other
    const oids = [...new Set(objects.map((o) => o.oid))].sort()
    await this.executor.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('gitpg-object:' || $1::text || ':' || o, 0))
       FROM unnest($2::text[]) AS o`,
      [repoId, oids],
    )
    const stored = await this.hasObjects(repoId, oids)
    const fresh = objects.filter((o) => !stored.has(o.oid))
    if (fresh.length > 0) await this.#copyObjects(repoId, fresh)
  }

  async #copyObjects(repoId: number, objects: Iterable<GitObject> | AsyncIterable<GitObject>) {
    const run = async (client: pg.PoolClient) => {
      const sink = client.query(
        copyStreams.from(`COPY git_objects (${COPY_COLUMNS}) FROM STDIN (FORMAT binary)`),
      )
      await pipeline(Readable.from(copyObjectRows(repoId, objects)), sink)
    }
    if (this.#tx) return this.#tx.exclusive(run)
    const client = await this.db.pool.connect()
    try {
      await run(client)
    } finally {
      client.release()
    }
  }

  async readRef(repoId: number, name: string): Promise<RefRecord | null> {
    if (this.#inTransaction) {
      const { rows } = await this.executor.query<RefRecord>(
        'SELECT name, oid, target FROM git_refs WHERE repo_id = $1 AND name = $2',
        [repoId, name],
      )
      return rows[0] ?? null
    }
    this.#refLookup ??= new BatchedLookup({
      key: (k: { repoId: number; name: string }) => `${k.repoId}:${k.name}`,
      run: async (keys) => {
        const { rows } = await this.#hot<RefRecord & { repo_id: number }>(
          'gitpg_refs',
          `SELECT r.repo_id, r.name, r.oid, r.target
           FROM unnest($1::int4[], $2::text[]) AS k(repo_id, name)
           JOIN git_refs r ON r.repo_id = k.repo_id AND r.name = k.name`,
          [keys.map((k) => k.repoId), keys.map((k) => k.name)],
        )
        return new Map(
          rows.map((r) => [
            `${r.repo_id}:${r.name}`,
            { name: r.name, oid: r.oid, target: r.target },
          ]),
        )
      },
    })
    return (await this.#refLookup.get({ repoId, name })) ?? null
  }

  listRefs(repoId: number, prefix = ''): Promise<RefRecord[]> {
    return refs.listRefs(this.executor, { repoId, prefix })
  }

  async lockRef(repoId: number, name: string): Promise<RefRecord | null> {
    // the transaction's first lock takes the GC lock and the ref's in one round trip
    const statements = refs.lockRefStatements({ repoId, name })
    const results = await this.#lockGc(repoId, statements)
    if (results) return refs.lockedRef(results[results.length - 1])
    return refs.lockRef(this.executor, { repoId, name })
  }

  async updateRefs(repoId: number, updates: readonly RefUpdate[]): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.#lockGc(repoId)
      const targets = updates
        .map((u) => u.oid)
        .filter((o): o is string => o !== null && !tx.#wrote(repoId, o))
      if (targets.length > 0) {
        const have = await tx.hasObjects(repoId, targets)
        const missing = targets.find((o) => !have.has(o))
        if (missing) throw new ObjectNotFoundError(missing)
      }
      const changes: RefChange[] = []
      for (const u of updates)
        changes.push(
          await refs.updateRef(tx.executor, {
            repoId,
            update: u,
            readRef: (n) => tx.readRef(repoId, n),
          }),
        )
      await this.onRefsUpdated?.(tx, repoId, changes)
    })
  }

  readFile(repoId: number, path: string) {
    return files.readFile(this.executor, { repoId, path })
  }

  writeFile(repoId: number, path: string, content: Buffer) {
    return files.writeFile(this.executor, { repoId, path, content })
  }

  deleteFile(repoId: number, path: string) {
    return files.deleteFile(this.executor, { repoId, path })
  }

  listFiles(repoId: number) {
    return files.listFiles(this.executor, repoId)
  }
}

/** Names for the fixed texts of packed reads, prepared as `#hot` queries. */
const preparedNames = new Map<string, string>()
const preparedName = (text: string): string => {
  let name = preparedNames.get(text)
  if (!name) preparedNames.set(text, (name = `gitpg_packs_${preparedNames.size}`))
  return name
}

/** A stored row as the store gives it: a row not converted yet is compressed on the way. */
function storedObject(r: StoredRow, type: ObjectType): StoredObject {
  return {
    oid: r.oid.toString('hex'),
    type,
    size: r.size,
    packed: {
      data: r.zlib ? r.data : deflateSync(r.data),
      base: r.base && r.base.toString('hex'),
      depth: 0,
    },
  }
}
