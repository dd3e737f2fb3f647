import { setTimeout as sleep } from 'node:timers/promises'
import { tryLockGcExclusive } from '../store/postgres/gc-lock.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { writeRepackBatch, type DeltaWrite } from '../store/postgres/repack-sql.ts'
import type { ChainGraph } from './chain-graph.ts'

/** A batch that finds writers holding the GC lock tries again this many times, then stops. */
const LOCK_TRIES = 50
const MAX_LOCK_WAIT_MS = 1000

/** Thrown inside a batch's transaction to roll it back: a row changed since the scan. */
class RowsChanged extends Error {}

/**
 * The changes repack has planned and not written yet: whole rows made deltas, and the rows whose
 * depth moved with them. `flush` writes them in one transaction, with the depths the graph holds
 * then (a row moved twice in a batch is written once, exactly).
 *
 * @example
 * writer.plan({ oid, base, data, stored, moved: graph.rebase(oid, base) })
 * if (writer.size >= batchSize) await writer.flush()
 */
export class RepackWriter {
  readonly #store: PostgresStore
  readonly #repoId: number
  readonly #graph: ChainGraph
  readonly #dryRun: boolean
  readonly #signal: AbortSignal | undefined
  #deltas = new Map<string, Omit<DeltaWrite, 'depth'>>()
  #moved = new Set<string>()
  #bytes = 0
  /** why the last `flush` wrote nothing, if it did not */
  stopped: 'rows changed since the scan' | 'writers held the lock' | null = null

  constructor({
    store,
    repoId,
    graph,
    dryRun = false,
    signal,
  }: {
    store: PostgresStore
    repoId: number
    graph: ChainGraph
    dryRun?: boolean
    /** ends a wait for the lock */
    signal?: AbortSignal
  }) {
    this.#store = store
    this.#repoId = repoId
    this.#graph = graph
    this.#dryRun = dryRun
    this.#signal = signal
  }

  /** rows made deltas since the last flush */
  get size(): number {
    return this.#deltas.size
  }

  /** bytes of the deltas planned since the last flush */
  get bytes(): number {
    return this.#bytes
  }

  plan({ moved, ...delta }: Omit<DeltaWrite, 'depth'> & { moved: readonly string[] }): void {
    this.#deltas.set(delta.oid, delta)
    this.#bytes += delta.data.length
    for (const oid of moved) this.#moved.add(oid)
  }

  /**
   * Writes the planned changes in one transaction holding the repository's GC lock exclusively
   * and returns what they were; false (nothing written) when a row had changed since the scan,
   * which leaves the graph stale, or writers kept the lock: stop then.
   */
  async flush(): Promise<{ deltas: DeltaWrite[]; moved: number } | false> {
    const deltas = [...this.#deltas.values()].map((d) => ({
      ...d,
      depth: this.#graph.depth(d.oid),
    }))
    const depths = [...this.#moved]
      .filter((oid) => !this.#deltas.has(oid))
      .map((oid) => ({ oid, base: this.#graph.base(oid)!, depth: this.#graph.depth(oid) }))
    this.#deltas = new Map()
    this.#moved = new Set()
    this.#bytes = 0
    if (this.#dryRun || deltas.length === 0) return { deltas, moved: depths.length }
    for (let tries = 1; ; tries++) {
      try {
        const locked = await this.#store.transaction(async (tx) => {
          // writers store deltas on rows with the depths they read: none runs meanwhile
          if (!(await tryLockGcExclusive(tx.executor, this.#repoId))) return false
          const written = await writeRepackBatch(tx.executor, {
            repoId: this.#repoId,
            deltas,
            depths,
          })
          if (!written) throw new RowsChanged()
          return true
        })
        if (locked) return { deltas, moved: depths.length }
      } catch (err) {
        if (!(err instanceof RowsChanged)) throw err
        this.stopped = 'rows changed since the scan'
        return false
      }
      if (tries >= LOCK_TRIES) {
        this.stopped = 'writers held the lock'
        return false
      }
      await sleep(Math.min(10 * 2 ** tries, MAX_LOCK_WAIT_MS), undefined, { signal: this.#signal })
    }
  }
}
