import { describe, expect, it } from 'vitest'
import { MAX_GITMODULES_BYTES } from '../src/fsck/check-gitmodules.ts'
import { ObjectChecker, type ObjectSource } from '../src/fsck/object-checker.ts'
import { makeObject, type GitObject } from '../src/objects/git-object.ts'
import type { ObjectInfo } from '../src/store/git-store.ts'

/** A tree naming each blob by a different spelling of `.gitmodules`. */
function treeOf(blobs: readonly { oid: string }[]): GitObject {
  const names = blobs.map((_, i) => `${String(i).padStart(5, '0')}\\.gitmodules`)
  return makeObject(
    'tree',
    Buffer.concat(
      blobs.flatMap((b, i) => [Buffer.from(`100644 ${names[i]}\0`), Buffer.from(b.oid, 'hex')]),
    ),
  )
}

/** Objects with a declared size; reading one that is marked unreadable fails the test. */
function source(objects: GitObject[], sizes = new Map<string, number>()) {
  const reads: string[][] = []
  const src: ObjectSource = {
    readObjectInfo: async (oids) => {
      const out = new Map<string, ObjectInfo>()
      for (const o of objects)
        if (oids.includes(o.oid))
          out.set(o.oid, { type: o.type, size: sizes.get(o.oid) ?? o.content.length })
      return out
    },
    readObjects: async (oids) => {
      reads.push(oids)
      for (const oid of oids) if (sizes.has(oid)) throw new Error(`read ${oid}`)
      return new Map(objects.filter((o) => oids.includes(o.oid)).map((o) => [o.oid, o]))
    },
  }
  return { src, reads }
}

const text = (i: number, size = 0) =>
  makeObject('blob', Buffer.from(`# ${i} ${'x'.repeat(size)}\n[submodule "a"]\n\turl = ./a\n`))

describe('ObjectChecker.finish', () => {
  it('refuses a stored .gitmodules past the size limit without reading it', async () => {
    const big = text(1)
    const tree = treeOf([text(0), big])
    const checker = new ObjectChecker()
    checker.check(tree)
    const { src, reads } = source([text(0), big], new Map([[big.oid, MAX_GITMODULES_BYTES + 1]]))
    await expect(checker.finish(src)).rejects.toMatchObject({
      code: 'BAD_OBJECT',
      data: { oid: big.oid, fsck: 'gitmodulesLarge' },
    })
    expect(reads.flat()).not.toContain(big.oid)
  })

  it('reads many stored .gitmodules blobs in batches of at most 16 MiB', async () => {
    const blobs = Array.from({ length: 40 }, (_, i) => text(i, 3 * 1024 * 1024))
    const checker = new ObjectChecker()
    checker.check(treeOf(blobs))
    const { src, reads } = source(blobs)
    await checker.finish(src)
    expect(reads.flat().sort()).toEqual(blobs.map((b) => b.oid).sort())
    const size = new Map(blobs.map((b) => [b.oid, b.content.length]))
    for (const batch of reads)
      expect(batch.reduce((n, oid) => n + size.get(oid)!, 0)).toBeLessThanOrEqual(16 * 1024 * 1024)
  })

  it('still checks a blob its source reads but cannot size', async () => {
    const bad = makeObject('blob', Buffer.from('[submodule "x"]\n\turl = --upload-pack=x\n'))
    const checker = new ObjectChecker()
    checker.check(treeOf([bad]))
    const { src } = source([bad])
    await expect(
      checker.finish({ ...src, readObjectInfo: async () => new Map() }),
    ).rejects.toMatchObject({ code: 'BAD_OBJECT', data: { fsck: 'gitmodulesUrl' } })
  })

  it('reads one blob at a time when it cannot learn their sizes first', async () => {
    const blobs = Array.from({ length: 5 }, (_, i) => text(i))
    const checker = new ObjectChecker()
    checker.check(treeOf(blobs))
    const { src, reads } = source(blobs)
    await checker.finish(src.readObjects)
    expect(reads).toHaveLength(5)
    expect(reads.every((r) => r.length === 1)).toBe(true)
  })
})
