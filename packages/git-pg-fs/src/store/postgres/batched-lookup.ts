interface Waiting<V> {
  resolve: (value: V | undefined) => void
  reject: (err: unknown) => void
}

/**
 * Answers concurrent look-ups of one kind (repositories by name, refs) with one query: keys asked
 * while a query runs wait for it to finish and then go together in the next. Every key is answered
 * by a query that started after it was asked, so a look-up never misses a write that completed
 * before it: this coalesces work, it caches nothing. A lone look-up runs at once.
 *
 * @example
 * const repos = new BatchedLookup({ key: (name: string) => name, run: (names) => findRepos(names) })
 * const repo = await repos.get('docs')
 */
export class BatchedLookup<K, V> {
  readonly #key: (k: K) => string
  readonly #run: (keys: K[]) => Promise<Map<string, V>>
  #waiting = new Map<string, { key: K; callers: Waiting<V>[] }>()
  #running = false

  constructor({
    key,
    run,
  }: {
    /** a string identifying the key; `run` returns values under it */
    key: (k: K) => string
    run: (keys: K[]) => Promise<Map<string, V>>
  }) {
    this.#key = key
    this.#run = run
  }

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const id = this.#key(key)
      const entry = this.#waiting.get(id)
      if (entry) entry.callers.push({ resolve, reject })
      else this.#waiting.set(id, { key, callers: [{ resolve, reject }] })
      if (!this.#running) void this.#drain()
    })
  }

  async #drain(): Promise<void> {
    this.#running = true
    try {
      while (this.#waiting.size > 0) {
        const batch = this.#waiting
        this.#waiting = new Map()
        try {
          const found = await this.#run([...batch.values()].map((w) => w.key))
          for (const [id, w] of batch) for (const c of w.callers) c.resolve(found.get(id))
        } catch (err) {
          for (const w of batch.values()) for (const c of w.callers) c.reject(err)
        }
      }
    } finally {
      this.#running = false
    }
  }
}
