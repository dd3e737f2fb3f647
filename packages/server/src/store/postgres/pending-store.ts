import { fileURLToPath } from 'node:url'
import { decodePath, encodePath, type Database, type Executor } from '@gitpg/git-pg-fs'
import type {
  PendingChange,
  PendingContent,
  PendingStore,
  SavePendingInput,
  SaveResult,
} from '../pending-store.ts'
import { appendEvents, type NewEvent } from './feed-store.ts'
import { GroupCommit } from './group-commit.ts'
import { findPendingOnPaths } from './pending-on-paths.ts'
import { PENDING_COLUMNS, toChange, type PendingRow } from './pending-row.ts'
import {
  GROUP_MAX_BYTES,
  inlineContent,
  pendingRowParams,
  saveBytes,
  savePendingGroup,
} from './save-pending-group.ts'

export { INLINE_CONTENT_LIMIT } from './save-pending-group.ts'

export const SERVER_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))

const keyOf = (repoId: number, userId: string, path: string) => `${repoId}\0${userId}\0${path}`

const unconditional = (input: SavePendingInput) => input.ifMatch === undefined && !input.ifNoneMatch

/** Whether `savePendingGroup` can do these saves: unconditional, of distinct keys. */
function oneStatement(inputs: readonly SavePendingInput[]): boolean {
  const keys = new Set<string>()
  for (const x of inputs) {
    const key = keyOf(x.repoId, x.userId, x.path)
    if (!unconditional(x) || keys.has(key)) return false
    keys.add(key)
  }
  return true
}

/** The feed event of a save, with its content inline when small (as `savePendingGroup` writes it). */
function savedEvent(input: SavePendingInput, c: PendingChange): NewEvent {
  const inline = inlineContent(input)
  return {
    kind: c.action === 'deleted' ? 'pending.deleted' : 'pending.saved',
    userId: input.userId,
    path: c.path,
    payload: {
      action: c.action,
      oid: c.oid,
      size: c.size,
      version: c.version,
      ...(inline !== null ? { content: inline } : {}),
    },
  }
}

/**
 * Pending changes in PostgreSQL (`pending_changes`). A save is durable once it returns, its feed
 * event is appended in the same transaction, and a conditional save is decided by the row lock,
 * never by a read followed by a write. Saves arriving together share one transaction (group
 * commit): every save of a project appends to its feed under one row lock, so one transaction
 * per save would serialise them on that lock and a WAL flush each. A group of unconditional
 * saves of distinct paths (autosave's usual burst) is one statement, its own transaction.
 *
 * @example
 * const pending = new PostgresPendingStore({ db })
 * await pending.save({ repoId, userId: 'ada', path: 'a.md', action: 'created', content, oid })
 */
export class PostgresPendingStore implements PendingStore {
  readonly db: Database
  readonly executor: Executor
  /** null in a transaction: saves there are that transaction's */
  readonly #group: GroupCommit<SavePendingInput, SaveResult> | null

  constructor({ db, executor }: { db: Database; executor?: Executor }) {
    this.db = db
    this.executor = executor ?? db
    this.#group = executor
      ? null
      : new GroupCommit({
          maxGroupBytes: GROUP_MAX_BYTES,
          sizeOf: saveBytes,
          run: (inputs) =>
            oneStatement(inputs)
              ? this.#saveInOneStatement(inputs)
              : db.transaction((tx) =>
                  new PostgresPendingStore({ db, executor: tx }).#saveAll(inputs),
                ),
        })
  }

  onPaths(input: { repoId: number; paths: readonly string[] }) {
    return findPendingOnPaths(this.executor, input)
  }

  inTransaction(tx: Executor): PendingStore {
    return new PostgresPendingStore({ db: this.db, executor: tx })
  }

  /** Runs `fn` in this store's transaction, or a new one. */
  async #atomically<T>(fn: (store: PostgresPendingStore) => Promise<T>): Promise<T> {
    if (this.executor !== this.db) return fn(this)
    return this.db.transaction((tx) => fn(new PostgresPendingStore({ db: this.db, executor: tx })))
  }

  async save(input: SavePendingInput): Promise<SaveResult> {
    if (this.#group) return this.#group.submit(input)
    return (await this.#saveAll([input]))[0]
  }

  async #saveInOneStatement(inputs: readonly SavePendingInput[]): Promise<SaveResult[]> {
    const changes = await savePendingGroup(this.db, inputs)
    return changes.map((change) => ({ saved: true, change }))
  }

  /**
   * Does `inputs` in order in this store's transaction, then appends their events. Unconditional
   * saves of distinct paths go in one statement; a conditional save, or a second save of a path,
   * starts a new one, so saves of one path land in the order given.
   */
  async #saveAll(inputs: readonly SavePendingInput[]): Promise<SaveResult[]> {
    const results: SaveResult[] = new Array(inputs.length)
    let run: number[] = []
    const keys = new Set<string>()
    const flush = async () => {
      if (run.length === 0) return
      const changes = await this.#upsertAll(run.map((i) => inputs[i]))
      run.forEach((i, j) => (results[i] = { saved: true, change: changes[j] }))
      run = []
      keys.clear()
    }
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]
      const key = keyOf(input.repoId, input.userId, input.path)
      if (keys.has(key) || !unconditional(input)) await flush()
      if (unconditional(input)) {
        run.push(i)
        keys.add(key)
      } else {
        results[i] = await this.#save(input)
      }
    }
    await flush()
    const events = new Map<number, NewEvent[]>()
    inputs.forEach((input, i) => {
      const r = results[i]
      if (!r.saved) return
      const list = events.get(input.repoId) ?? []
      list.push(savedEvent(input, r.change))
      events.set(input.repoId, list)
    })
    for (const [repoId, list] of events) await appendEvents(this.executor, repoId, list)
    return results
  }

  /** Unconditional saves of distinct paths, in one statement. */
  async #upsertAll(inputs: readonly SavePendingInput[]): Promise<PendingChange[]> {
    const values: unknown[] = []
    const tuples = inputs.map((x) => `(${pendingRowParams(values, x)})`)
    const { rows } = await this.executor.query<PendingRow & { repo_id: number; user_id: string }>(
      `INSERT INTO pending_changes (repo_id, user_id, path, action, content, oid, size)
       VALUES ${tuples.join(', ')}
       ON CONFLICT (repo_id, user_id, path) DO UPDATE SET action = EXCLUDED.action,
         content = EXCLUDED.content, oid = EXCLUDED.oid, size = EXCLUDED.size,
         version = nextval('pending_change_version'), updated_at = clock_timestamp()
       RETURNING repo_id, user_id, ${PENDING_COLUMNS}`,
      values,
    )
    const byKey = new Map(rows.map((r) => [keyOf(r.repo_id, r.user_id, decodePath(r.path)), r]))
    return inputs.map((x) => toChange(byKey.get(keyOf(x.repoId, x.userId, x.path))!))
  }

  async #discarded(repoId: number, userId: string, paths: readonly string[]) {
    await appendEvents(
      this.executor,
      repoId,
      paths.map((path) => ({ kind: 'pending.discarded', userId, path, payload: {} })),
    )
  }

  async #save(input: SavePendingInput): Promise<SaveResult> {
    const values = [
      input.repoId,
      input.userId,
      encodePath(input.path),
      input.action,
      input.content,
      input.oid,
      input.content?.length ?? 0,
    ]
    const set = `action = $4, content = $5, oid = $6, size = $7,
      version = nextval('pending_change_version'), updated_at = clock_timestamp()`
    let rows: PendingRow[]
    if (input.ifMatch !== undefined) {
      const versionCheck = input.ifMatch === '*' ? '' : 'AND version = $8'
      const params = input.ifMatch === '*' ? values : [...values, input.ifMatch]
      ;({ rows } = await this.executor.query<PendingRow>(
        `UPDATE pending_changes SET ${set}
         WHERE repo_id = $1 AND user_id = $2 AND path = $3 ${versionCheck}
         RETURNING ${PENDING_COLUMNS}`,
        params,
      ))
    } else {
      const onConflict = input.ifNoneMatch ? 'DO NOTHING' : `DO UPDATE SET ${set}`
      ;({ rows } = await this.executor.query<PendingRow>(
        `INSERT INTO pending_changes (repo_id, user_id, path, action, content, oid, size)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (repo_id, user_id, path) ${onConflict}
         RETURNING ${PENDING_COLUMNS}`,
        values,
      ))
    }
    if (rows[0]) return { saved: true, change: toChange(rows[0]) }
    const [current] = await this.read(input.repoId, input.userId, [input.path])
    return { saved: false, current: current ?? null }
  }

  async list(
    repoId: number,
    userId: string,
    { limit }: { limit?: number } = {},
  ): Promise<PendingChange[]> {
    const { rows } = await this.executor.query<PendingRow>(
      `SELECT ${PENDING_COLUMNS} FROM pending_changes WHERE repo_id = $1 AND user_id = $2
       ORDER BY path ${limit === undefined ? '' : 'LIMIT $3'}`,
      limit === undefined ? [repoId, userId] : [repoId, userId, limit],
    )
    return rows.map(toChange)
  }

  async read(repoId: number, userId: string, paths?: readonly string[]): Promise<PendingContent[]> {
    const filter = paths ? 'AND path = ANY($3::bytea[])' : ''
    const { rows } = await this.executor.query<PendingRow>(
      `SELECT ${PENDING_COLUMNS}, content FROM pending_changes WHERE repo_id = $1 AND user_id = $2 ${filter}
       ORDER BY path`,
      paths ? [repoId, userId, paths.map(encodePath)] : [repoId, userId],
    )
    return rows.map((r) => ({ ...toChange(r), content: r.content ?? null }))
  }

  async remove(repoId: number, userId: string, path: string): Promise<boolean> {
    return this.#atomically(async (tx) => {
      const res = await tx.executor.query(
        'DELETE FROM pending_changes WHERE repo_id = $1 AND user_id = $2 AND path = $3',
        [repoId, userId, encodePath(path)],
      )
      if ((res.rowCount ?? 0) > 0) await tx.#discarded(repoId, userId, [path])
      return (res.rowCount ?? 0) > 0
    })
  }

  async removeAll(repoId: number, userId: string): Promise<number> {
    return this.#atomically(async (tx) => {
      const { rows } = await tx.executor.query<{ path: Buffer }>(
        'DELETE FROM pending_changes WHERE repo_id = $1 AND user_id = $2 RETURNING path',
        [repoId, userId],
      )
      await tx.#discarded(
        repoId,
        userId,
        rows.map((r) => decodePath(r.path)),
      )
      return rows.length
    })
  }

  async removeVersions(
    repoId: number,
    userId: string,
    rows: readonly { path: string; version: string }[],
  ): Promise<number> {
    if (rows.length === 0) return 0
    return this.#atomically(async (tx) => {
      const res = await tx.executor.query<{ path: Buffer }>(
        `DELETE FROM pending_changes p USING unnest($3::bytea[], $4::bigint[]) AS r(path, version)
         WHERE p.repo_id = $1 AND p.user_id = $2 AND p.path = r.path AND p.version = r.version
         RETURNING p.path`,
        [repoId, userId, rows.map((r) => encodePath(r.path)), rows.map((r) => r.version)],
      )
      await tx.#discarded(
        repoId,
        userId,
        res.rows.map((r) => decodePath(r.path)),
      )
      return res.rows.length
    })
  }
}
