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

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve()
    const result = before.then(task)
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
