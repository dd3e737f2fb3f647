import type { GitStore } from '@gitpg/git-pg-fs'

/**
 * Turns taken in this process, one key at a time: a task for a key starts when the one before it
 * settled. Commits of one branch wait here first, so that while they wait for the branch's lock
 * in the database each server holds one connection for that branch, not one per waiting request.
 *
 * @example
 * const turns = commitTurns(store)
 * await turns.run(`${repoId}:main`, () => repo.commit(input))
 */
export class CommitTurns {
  readonly #tails = new Map<string, Promise<unknown>>()

  /** Runs `task` in its turn; `waited` tells it whether a task for the key came before it. */
  run<T>(key: string, task: (waited: boolean) => Promise<T>): Promise<T> {
    const before = this.#tails.get(key)
    const result = before
      ? before.then(() => task(true))
      : Promise.resolve().then(() => task(false))
    const tail = result.then(
      () => {},
      () => {},
    )
    this.#tails.set(key, tail)
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
    return result
  }

  /** keys with a task running or waiting */
  get size(): number {
    return this.#tails.size
  }
}

const byStore = new WeakMap<GitStore, CommitTurns>()

/** The turns of one server's store (each server instance has its own store, hence its own). */
export function commitTurns(store: GitStore): CommitTurns {
  let turns = byStore.get(store)
  if (!turns) byStore.set(store, (turns = new CommitTurns()))
  return turns
}
