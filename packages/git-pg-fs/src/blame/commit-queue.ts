/**
 * Commits by committer date, newest first, and in the order they came among equal dates: the
 * order `git blame` takes its suspects in (a `prio_queue` with `compare_commits_by_commit_date`).
 *
 * @example
 * const q = new CommitQueue(); q.push('c1', 1700000000); q.pop() // 'c1'
 */
export class CommitQueue {
  #heap: { oid: string; time: number; seq: number }[] = []
  #seq = 0

  get size(): number {
    return this.#heap.length
  }

  push(oid: string, time: number): void {
    const heap = this.#heap
    heap.push({ oid, time, seq: this.#seq++ })
    let i = heap.length - 1
    while (i > 0) {
      const up = (i - 1) >> 1
      if (!this.#before(i, up)) break
      ;[heap[i], heap[up]] = [heap[up], heap[i]]
      i = up
    }
  }

  pop(): string | undefined {
    const heap = this.#heap
    if (heap.length === 0) return undefined
    const top = heap[0]
    const last = heap.pop()!
    if (heap.length > 0) {
      heap[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let best = i
        if (l < heap.length && this.#before(l, best)) best = l
        if (r < heap.length && this.#before(r, best)) best = r
        if (best === i) break
        ;[heap[i], heap[best]] = [heap[best], heap[i]]
        i = best
      }
    }
    return top.oid
  }

  #before(i: number, j: number): boolean {
    const a = this.#heap[i]
    const b = this.#heap[j]
    return a.time !== b.time ? a.time > b.time : a.seq < b.seq
  }
}
