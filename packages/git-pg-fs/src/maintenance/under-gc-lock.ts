import { setTimeout as sleep } from 'node:timers/promises'
import { tryLockGcExclusive } from '../store/postgres/gc-lock.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'

/** A change that finds writers holding the GC lock tries again this many times, then gives up. */
const LOCK_TRIES = 50
const MAX_LOCK_WAIT_MS = 1000

/**
 * Runs `fn` in one transaction holding the repository's GC lock exclusively, taken only when no
 * writer holds it (never queued ahead of writers), trying again with a growing wait while one
 * does; null when writers held it every time. An error of `fn` rolls its transaction back.
 *
 * @example
 * const done = await underGcLock({ store, repoId, fn: (tx) => writePack({ db: tx.executor, repoId, entries }) })
 */
export async function underGcLock<T>({
  store,
  repoId,
  signal,
  fn,
}: {
  store: PostgresStore
  repoId: number
  /** ends a wait for the lock */
  signal?: AbortSignal
  fn: (tx: PostgresStore) => Promise<T>
}): Promise<{ value: T } | null> {
  for (let tries = 1; ; tries++) {
    const done = await store.transaction(async (tx) => {
      if (!(await tryLockGcExclusive(tx.executor, repoId))) return null
      return { value: await fn(tx) }
    })
    if (done) return done
    if (tries >= LOCK_TRIES) return null
    await sleep(Math.min(10 * 2 ** tries, MAX_LOCK_WAIT_MS), undefined, { signal })
  }
}
