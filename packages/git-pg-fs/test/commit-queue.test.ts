import { describe, expect, it } from 'vitest'
import { CommitQueue } from '../src/repo/commit-queue.ts'
import type { GraphCommit } from '../src/store/git-store.ts'

const commit = (oid: string, time: number, parents: string[] = []) =>
  ({ oid, time, parents, tree: `t${oid}` }) as GraphCommit

describe('CommitQueue', () => {
  it('gives commits newest first, ties in the order queued, each once, none outside the graph', () => {
    const graph = new Map(
      [commit('a', 10), commit('b', 30), commit('c', 20), commit('d', 20)].map((c) => [c.oid, c]),
    )
    const queue = new CommitQueue(graph)
    for (const oid of ['a', 'c', 'b', 'd', 'c', 'x', 'b']) queue.push(oid)
    expect(queue.size).toBe(4)
    const order: string[] = []
    for (let c = queue.shift(); c; c = queue.shift()) order.push(c.oid)
    expect(order).toEqual(['b', 'c', 'd', 'a'])
    queue.push('a')
    expect(queue.size).toBe(0)
  })
})
