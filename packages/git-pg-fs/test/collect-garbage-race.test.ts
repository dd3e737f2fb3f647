import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { makeObject } from '../src/objects/git-object.ts'
import { collectGarbage } from '../src/maintenance/collect-garbage.ts'
import { PostgresStore } from '../src/store/postgres/postgres-store.ts'
import { GcFixture } from './support/gc-fixture.ts'

let fixture: GcFixture
let store: PostgresStore

beforeAll(async () => {
  fixture = await GcFixture.create()
  store = fixture.store
})

afterAll(() => fixture?.close())

describe('collectGarbage racing writers', () => {
  it('waits for a writer holding the lock, then keeps what the writer pointed a ref at', async () => {
    const { h, repoId } = await fixture.newRepo('race')
    await h.commit({ 'a.txt': 'a\n' })
    for (const branch of ['one', 'two']) {
      await h.git(['checkout', '-q', '-b', branch, 'main'])
      await h.commit({ [`${branch}/x.txt`]: `${branch}\n`, 'a.txt': `${branch}\n` })
    }
    await h.git(['checkout', '-q', 'main'])
    await h.importInto({ store, repoId })
    const one = await fixture.objectsOf(h, 'one', ['main'])
    const two = await fixture.objectsOf(h, 'two', ['main'])
    const oneTip = (await h.git(['rev-parse', 'one'])).trim()
    await h.git(['branch', '-m', 'one', 'revived'])
    await h.git(['branch', '-D', 'two'])
    await store.updateRefs(repoId, [
      { name: 'refs/heads/one', oid: null },
      { name: 'refs/heads/two', oid: null },
    ])
    const before = await store.countObjects(repoId)

    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    let locked = () => {}
    const lockTaken = new Promise<void>((resolve) => (locked = resolve))
    const writer = store.transaction(async (tx) => {
      await tx.lockRef(repoId, 'refs/heads/revived')
      locked()
      await held
      await tx.updateRefs(repoId, [{ name: 'refs/heads/revived', expected: null, oid: oneTip }])
    })
    await lockTaken
    let waiting = () => {}
    const waited = new Promise<void>((resolve) => (waiting = resolve))
    const gc = collectGarbage({
      store,
      repoId,
      options: { prune: 'now', batchSize: 2, log: (e) => e === 'gc-wait' && waiting() },
    })
    await waited
    // the collector found the objects unreachable, and waits: nothing is removed yet
    expect(await store.countObjects(repoId)).toBe(before)
    release()
    await writer
    const { report } = await gc
    expect(report).toMatchObject({
      unreachable: one.length + two.length,
      rescued: one.length,
      deleted: two.length,
    })
    expect(await fixture.stillStored(repoId, one)).toBe(one.length)
    expect(await fixture.stillStored(repoId, two)).toBe(0)
    await fixture.expectWhole(h, repoId)
  })

  it('keeps objects stored after its snapshot, and the old history a new commit builds on', async () => {
    const { h, repoId } = await fixture.newRepo('after-snapshot')
    await h.commit({ 'a.txt': 'a\n' })
    await h.git(['checkout', '-q', '-b', 'old'])
    const oldTip = await h.commit({ 'old/x.txt': 'old\n' })
    await h.git(['checkout', '-q', 'main'])
    await h.importInto({ store, repoId })
    const old = await fixture.objectsOf(h, 'old', ['main'])
    await store.updateRefs(repoId, [{ name: 'refs/heads/old', oid: null }])
    // made with git, stored between the collector's snapshot and its walk
    await h.git(['checkout', '-q', '-b', 'built', oldTip])
    const built = await h.commit({ 'new.txt': 'new\n' })
    await h.git(['branch', '-D', 'old'])
    const added = await fixture.objectsOf(h, 'built', [oldTip])
    const stray = makeObject(
      'blob',
      Buffer.from('stored by a writer that has not moved a ref yet\n'),
    )
    let calls = 0
    const extraRoots = async () => {
      if (calls++ === 0) {
        const objects = await fixture.readFromGit(h, added)
        await store.writeObjects(repoId, [...objects, stray])
        await store.updateRefs(repoId, [{ name: 'refs/heads/built', oid: built }])
      }
      return []
    }
    const { report } = await collectGarbage({
      store,
      repoId,
      options: { prune: 'now', extraRoots },
    })
    expect(report).toMatchObject({ unreachable: old.length, rescued: old.length, deleted: 0 })
    expect(await fixture.stillStored(repoId, [...old, ...added, stray.oid])).toBe(
      old.length + added.length + 1,
    )
    await fixture.expectWhole(h, repoId)
  })

  it('lets a read that met a delta before its base was removed read the row again', async () => {
    const { h, repoId, olderBlobs } = await fixture.deltasOnBranch('reader')
    await h.git(['branch', '-D', 'newer'])
    await h.importInto({ store, repoId })
    // a reader of its own (no base cached) reads the delta's row, then, before it reads the
    // base's chain, the collector stores the row again whole and removes the base
    const reader = new PostgresStore({ db: fixture.stored.db })
    const prepared = fixture.stored.db.queryPrepared.bind(fixture.stored.db)
    let collected = false
    const spy = vi
      .spyOn(fixture.stored.db, 'queryPrepared')
      .mockImplementation(async (name, text, values) => {
        if (name === 'gitpg_object_chains' && !collected) {
          collected = true
          const { report } = await collectGarbage({ store, repoId, options: { prune: 'now' } })
          expect(report.rebased).toBeGreaterThan(0)
        }
        return prepared(name, text, values)
      })
    try {
      const read = await reader.readObjects(repoId, olderBlobs)
      expect(collected).toBe(true)
      expect([...read.keys()].sort()).toEqual([...olderBlobs].sort())
    } finally {
      spy.mockRestore()
    }
    await fixture.expectWhole(h, repoId)
  })
})
