import { describe, expect, it } from 'vitest'
import {
  hashObject,
  makeObject,
  ObjectNotFoundError,
  RefConflictError,
  importPack,
  createDelta,
  PackWriter,
  TYPE_CODE,
  type GitObject,
  type GitStore,
} from '@gitpg/git-pg-fs'

export interface ConformanceTarget {
  /** A store over a database that holds the git store's tables. */
  newStore(): Promise<GitStore>
}

const blob = (text: string) => makeObject('blob', Buffer.from(text))

/** A pack of `versions`, each after the first an offset delta on the one before. */
function deltaPack(versions: readonly GitObject[]): Buffer {
  const pack = new PackWriter({ count: versions.length, deflate: true })
  const chunks: Buffer[] = []
  let previous = -1
  versions.forEach((v, i) => {
    const offset = pack.offset
    const delta = i > 0 ? createDelta(versions[i - 1].content, v.content) : null
    chunks.push(
      ...(delta ? pack.addDelta(previous, delta) : pack.add(TYPE_CODE[v.type], v.content)),
    )
    previous = offset
  })
  chunks.push(...pack.end())
  return Buffer.concat(chunks)
}

/**
 * The behaviour every `GitStore` shares, run against each database it supports (one test file
 * each, as hono runs `common.case.test.ts` against every router): objects, deltas, refs by
 * compare-and-swap, symbolic refs and transactions.
 *
 * @example
 * runStoreConformance({ newStore: async () => new PostgresStore({ db }) })
 */
export function runStoreConformance({ newStore }: ConformanceTarget): void {
  let counter = 0
  const newRepo = async () => {
    const store = await newStore()
    const { repo } = await store.createRepo({ name: `conformance-${process.pid}-${counter++}` })
    return { store, repoId: repo.repoId, repo: store.repo(repo.repoId) }
  }

  describe('objects', () => {
    it('writes objects once and reads them, their info and their ids back', async () => {
      const { repo } = await newRepo()
      const a = blob('alpha\n')
      const b = blob('beta\n'.repeat(1000))
      expect(await repo.writeObjects([a, b, a])).toBe(2)
      expect(await repo.writeObjects([a])).toBe(0)
      const read = await repo.readObjects([a.oid, b.oid, '0'.repeat(40)])
      expect([...read.keys()].sort()).toEqual([a.oid, b.oid].sort())
      expect(read.get(b.oid)!.content.equals(b.content)).toBe(true)
      expect(await repo.readObjectInfo([b.oid])).toEqual(
        new Map([[b.oid, { type: 'blob', size: b.content.length }]]),
      )
      expect(await repo.hasObjects([a.oid, 'f'.repeat(40)])).toEqual(new Set([a.oid]))
      expect(await repo.countObjects()).toBe(2)
      expect(await repo.findObjects(a.oid.slice(0, 6))).toEqual([a.oid])
      const other = await newRepo()
      expect((await other.repo.readObjects([a.oid])).size).toBe(0)
    })

    it('keeps a pack’s deltas and resolves them in reads and streams', async () => {
      const { store, repoId, repo } = await newRepo()
      const versions = Array.from({ length: 8 }, (_, i) =>
        blob(`${'shared line of text\n'.repeat(200)}version ${i}\n`),
      )
      const pack = deltaPack(versions)
      await importPack({ store, repoId, pack })
      const read = await repo.readObjects(versions.map((v) => v.oid))
      for (const v of versions) expect(hashObject('blob', read.get(v.oid)!.content)).toBe(v.oid)
      const streamed: string[] = []
      for await (const batch of repo.streamObjects('blob'))
        for (const o of batch) {
          expect(hashObject(o.type, o.content)).toBe(o.oid)
          streamed.push(o.oid)
        }
      expect(streamed.sort()).toEqual(versions.map((v) => v.oid).sort())
      let deltas = 0
      for await (const batch of repo.streamStored('blob'))
        for (const o of batch) if (o.packed.base !== null) deltas++
      expect(deltas).toBeGreaterThan(0)
    })
  })

  describe('refs', () => {
    it('compares and swaps: expected undefined skips the check, null means absent, an id must match', async () => {
      const { repo } = await newRepo()
      const [a, b] = [blob('a\n'), blob('b\n')]
      await repo.writeObjects([a, b])
      const ref = 'refs/heads/topic'
      await repo.updateRefs([{ name: ref, expected: null, oid: a.oid }])
      await expect(
        repo.updateRefs([{ name: ref, expected: null, oid: b.oid }]),
      ).rejects.toBeInstanceOf(RefConflictError)
      await expect(
        repo.updateRefs([{ name: ref, expected: b.oid, oid: a.oid }]),
      ).rejects.toMatchObject({ code: 'REF_CONFLICT' })
      await repo.updateRefs([{ name: ref, expected: a.oid, oid: b.oid }])
      expect((await repo.readRef(ref))?.oid).toBe(b.oid)
      await repo.updateRefs([{ name: ref, oid: a.oid }])
      expect((await repo.readRef(ref))?.oid).toBe(a.oid)
      await repo.updateRefs([{ name: ref, expected: a.oid, oid: null }])
      expect(await repo.readRef(ref)).toBeNull()
      await expect(repo.updateRefs([{ name: ref, oid: 'e'.repeat(40) }])).rejects.toBeInstanceOf(
        ObjectNotFoundError,
      )
    })

    it('holds symbolic refs and lists refs by prefix', async () => {
      const { repo } = await newRepo()
      const a = blob('a\n')
      await repo.writeObjects([a])
      expect(await repo.readRef('HEAD')).toEqual({
        name: 'HEAD',
        oid: null,
        target: 'refs/heads/main',
      })
      await repo.updateRefs([
        { name: 'refs/heads/main', oid: a.oid },
        { name: 'refs/tags/v1', oid: a.oid },
        { name: 'HEAD', oid: null, target: 'refs/heads/other' },
      ])
      expect((await repo.readRef('HEAD'))?.target).toBe('refs/heads/other')
      expect((await repo.listRefs('refs/heads/')).map((r) => r.name)).toEqual(['refs/heads/main'])
    })
  })

  describe('transactions', () => {
    it('applies everything or nothing', async () => {
      const { store, repoId, repo } = await newRepo()
      const a = blob('kept only if committed\n')
      await expect(
        store.transaction(async (tx) => {
          await tx.repo(repoId).writeObjects([a])
          await tx.repo(repoId).updateRefs([{ name: 'refs/heads/main', oid: a.oid }])
          await tx.repo(repoId).writeFile('description', Buffer.from('x'))
          throw new Error('rolled back')
        }),
      ).rejects.toThrow('rolled back')
      expect(await repo.hasObjects([a.oid])).toEqual(new Set())
      expect(await repo.readRef('refs/heads/main')).toBeNull()
      expect(await repo.readFile('description')).toBeNull()
      await store.transaction(async (tx) => {
        await tx.repo(repoId).writeObjects([a])
        await tx.repo(repoId).updateRefs([{ name: 'refs/heads/main', oid: a.oid }])
      })
      expect((await repo.readRef('refs/heads/main'))?.oid).toBe(a.oid)
    })
  })
}
