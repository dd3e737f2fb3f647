import { describe, expect, it } from 'vitest'
import { ObjectNotFoundError } from '../src/errors.ts'
import { makeObject } from '../src/objects/git-object.ts'
import { serializeTree } from '../src/objects/tree.ts'
import { GraphOffsets } from '../src/pack/sent-offsets.ts'
import { TreeGraph } from '../src/repo/tree-graph.ts'

const blob = makeObject('blob', Buffer.from('hello\n'))
const tree = makeObject(
  'tree',
  serializeTree([{ mode: '100644', name: 'a.txt', oid: blob.oid, type: 'blob' }]),
)
const commitId = 'c'.repeat(40)

function walked() {
  const graph = new TreeGraph()
  const root = graph.addTree(Buffer.from(tree.oid, 'hex'), tree.content)
  graph.walk([root])
  return graph
}

describe('GraphOffsets', () => {
  it('keeps the offsets of the graph’s trees and blobs, and of other ids, apart and exact', () => {
    const offsets = new GraphOffsets(walked())
    expect(offsets.has(tree.oid)).toBe(false)
    offsets.set(commitId, 12)
    offsets.set(tree.oid, 0)
    offsets.set(blob.oid, 2 ** 40)
    expect(offsets.get(commitId)).toBe(12)
    expect(offsets.get(tree.oid)).toBe(0)
    expect(offsets.get(blob.oid)).toBe(2 ** 40)
    expect(offsets.has('d'.repeat(40))).toBe(false)
  })
})

describe('TreeGraph.forgetEntries', () => {
  it('keeps ids and marks, and no tree can be walked after', () => {
    const graph = walked()
    const marks = [...graph.mark]
    graph.forgetEntries()
    expect([...graph.mark]).toEqual(marks)
    expect(graph.hex(graph.find(Buffer.from(blob.oid, 'hex')))).toBe(blob.oid)
    expect(() => graph.walk([graph.find(Buffer.from(tree.oid, 'hex'))])).toThrow(
      ObjectNotFoundError,
    )
  })
})
