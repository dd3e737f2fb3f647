interface Waiting<I, R> {
  input: I
  resolve: (result: R) => void
  reject: (err: unknown) => void
}

/**
 * Group commit: writes that arrive while a group is being written wait for it and then go
 * together in the next group, so a burst pays one commit (one WAL flush, one hold of any row lock
 * the writes share) instead of one each. `run` writes a group in one transaction and resolves
 * when it has committed; each caller is answered then, and only then. A lone write is not
 * delayed: when nothing is running it starts at once.
 *
 * If a group fails, its writes are retried one group each, so one bad write fails alone.
 *
 * @example
 * const saves = new GroupCommit({ run: (inputs) => db.transaction((tx) => saveAll(tx, inputs)) })
 * const result = await saves.submit(input)
 */
export class GroupCommit<I, R> {
  readonly #run: (inputs: I[]) => Promise<R[]>
  readonly #maxGroup: number
  readonly #maxGroupBytes: number
  readonly #sizeOf: (input: I) => number
  #queue: Waiting<I, R>[] = []
  #running = false

  constructor({
    run,
    maxGroup = 500,
    maxGroupBytes = Infinity,
    sizeOf = () => 0,
  }: {
    /** writes `inputs` in one transaction, returning one result per input, in order */
    run: (inputs: I[]) => Promise<R[]>
    maxGroup?: number
    /**
     * bytes (by `sizeOf`) one group may carry: a write goes into a group of its own rather than
     * push the group past this, since writing a group copies its contents once more
     */
    maxGroupBytes?: number
    sizeOf?: (input: I) => number
  }) {
    this.#run = run
    this.#maxGroup = maxGroup
    this.#maxGroupBytes = maxGroupBytes
    this.#sizeOf = sizeOf
  }

  submit(input: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject })
      if (!this.#running) void this.#drain()
    })
  }

  async #drain(): Promise<void> {
    this.#running = true
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue.splice(0, this.#groupLength())
        try {
          const results = await this.#run(group.map((w) => w.input))
          group.forEach((w, i) => w.resolve(results[i]))
        } catch (err) {
          if (group.length === 1) group[0].reject(err)
          else await Promise.all(group.map((w) => this.#alone(w)))
        }
      }
    } finally {
      this.#running = false
    }
  }

  /** How many of the queued writes the next group takes: at least one. */
  #groupLength(): number {
    let bytes = 0
    let n = 0
    while (n < this.#queue.length && n < this.#maxGroup) {
      bytes += this.#sizeOf(this.#queue[n].input)
      if (n > 0 && bytes > this.#maxGroupBytes) break
      n++
    }
    return n
  }

  async #alone(w: Waiting<I, R>): Promise<void> {
    try {
      const [result] = await this.#run([w.input])
      w.resolve(result)
    } catch (err) {
      w.reject(err)
    }
  }
}
