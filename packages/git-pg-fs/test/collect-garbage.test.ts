import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lines } from '../../../test/support/git-cli.ts'
import { collectGarbage } from '../src/maintenance/collect-garbage.ts'
import type { PostgresStore } from '../src/store/postgres/postgres-store.ts'
import type { StoreDatabase } from '../../../test/support/store-database.ts'
import { GcFixture } from './support/gc-fixture.ts'

let fixture: GcFixture
let stored: StoreDatabase
let store: PostgresStore

beforeAll(async () => {
  fixture = await GcFixture.create()
  stored = fixture.stored
  store = fixture.store
})

afterAll(() => fixture?.close())

describe('collectGarbage', () => {
  it("removes a deleted branch's objects and its commit graph rows, keeps the rest", async () => {
    const { h, repoId } = await fixture.newRepo('deleted-branch')
    await h.commit({ 'a.txt': 'a\n', 'dir/b.txt': 'b\n' })
    await h.git(['checkout', '-q', '-b', 'topic'])
    await h.commit({ 'dir/sub/c.txt': 'c\n'.repeat(1000), 'a.txt': 'a2\n' })
    await h.commit({ 'dir/sub/c.txt': 'c2\n'.repeat(1000) })
    await h.git(['checkout', '-q', 'main'])
    await h.commit({ 'main.txt': 'main\n' })
    await h.importInto({ store, repoId })
    const unique = await fixture.objectsOf(h, 'topic', ['main'])
    const commits = lines(await h.git(['rev-list', 'topic', '--not', 'main']))
    expect(await fixture.stillStored(repoId, unique)).toBe(unique.length)
    expect(await fixture.graphRows(repoId, commits)).toBe(2)
    await h.git(['branch', '-D', 'topic'])
    await h.importInto({ store, repoId })

    const { report } = await collectGarbage({ store, repoId, options: { prune: 'now' } })
    expect(report).toMatchObject({ unreachable: unique.length, deleted: unique.length, kept: 0 })
    expect(report.bytesFreed).toBeGreaterThan(0)
    expect(report.reachable).toBe((await h.reachable()).size)
    expect(await fixture.stillStored(repoId, unique)).toBe(0)
    expect(await fixture.graphRows(repoId, commits)).toBe(0)
    await fixture.expectWhole(h, repoId)

    const again = await collectGarbage({ store, repoId, options: { prune: 'now' } })
    expect(again.report).toMatchObject({ unreachable: 0, deleted: 0 })
  })

  it("removes a forced push's old history in small batches, referrers first", async () => {
    const { h, repoId } = await fixture.newRepo('forced')
    const base = await h.commit({ 'a.txt': 'a\n' })
    for (let i = 0; i < 5; i++) await h.commit({ [`f${i}/x.txt`]: `${i}\n`, 'a.txt': `a${i}\n` })
    await h.importInto({ store, repoId })
    const old = await fixture.objectsOf(h, 'main', [base])
    await h.git(['reset', '-q', '--hard', base])
    await h.commit({ 'new.txt': 'new\n' })
    await h.importInto({ store, repoId })
    const kept = new Set((await h.reachable()).keys())
    const doomed = old.filter((o) => !kept.has(o))
    expect(doomed.length).toBeGreaterThan(10)
    const events: string[] = []
    const { report } = await collectGarbage({
      store,
      repoId,
      options: { prune: 'now', batchSize: 3, log: (e) => events.push(e) },
    })
    expect(report.deleted).toBe(doomed.length)
    expect(await fixture.stillStored(repoId, doomed)).toBe(0)
    await fixture.expectWhole(h, repoId)
    expect(events).toContain('gc')
  })

  it('keeps garbage younger than the prune age, records it, and removes it later', async () => {
    const { h, repoId } = await fixture.newRepo('prune-age')
    await h.commit({ 'a.txt': 'a\n' })
    await h.git(['checkout', '-q', '-b', 'gone'])
    await h.commit({ 'b.txt': 'b\n' })
    await h.importInto({ store, repoId })
    const unique = await fixture.objectsOf(h, 'gone', ['main'])
    await h.git(['checkout', '-q', 'main'])
    await h.git(['branch', '-D', 'gone'])
    await h.importInto({ store, repoId })

    const hourAgo = new Date(Date.now() - 3600_000)
    const first = await collectGarbage({ store, repoId, options: { prune: hourAgo } })
    expect(first.report).toMatchObject({ unreachable: unique.length, kept: unique.length })
    expect(first.report.deleted).toBe(0)
    expect(await fixture.stillStored(repoId, unique)).toBe(unique.length)
    const { rows } = await stored.db.query('SELECT 1 FROM git_unreachable WHERE repo_id = $1', [
      repoId,
    ])
    expect(rows.length).toBe(unique.length)
    const never = await collectGarbage({ store, repoId, options: { prune: 'never' } })
    expect(never.report.deleted).toBe(0)
    // found unreachable before this date: due now
    const later = await collectGarbage({
      store,
      repoId,
      options: { prune: new Date(Date.now() + 60_000) },
    })
    expect(later.report.deleted).toBe(unique.length)
    expect(await fixture.stillStored(repoId, unique)).toBe(0)
    const left = await stored.db.query('SELECT 1 FROM git_unreachable WHERE repo_id = $1', [repoId])
    expect(left.rows.length).toBe(0)
    await fixture.expectWhole(h, repoId)
  })

  it('forgets the age of an object a ref reaches again', async () => {
    const { h, repoId } = await fixture.newRepo('revived')
    await h.commit({ 'a.txt': 'a\n' })
    const tip = await h.commit({ 'b.txt': 'b\n' })
    await h.importInto({ store, repoId })
    await store.updateRefs(repoId, [{ name: 'refs/heads/main', oid: null }])
    const first = await collectGarbage({ store, repoId, options: { prune: 'never' } })
    expect(first.report.unreachable).toBeGreaterThan(0)
    await store.updateRefs(repoId, [{ name: 'refs/heads/main', oid: tip }])
    const second = await collectGarbage({ store, repoId, options: { prune: 'never' } })
    expect(second.report.unreachable).toBe(0)
    const { rows } = await stored.db.query('SELECT 1 FROM git_unreachable WHERE repo_id = $1', [
      repoId,
    ])
    expect(rows).toEqual([])
  })

  it('changes nothing in a dry run, and counts what a real run removes', async () => {
    const { h, repoId } = await fixture.newRepo('dry')
    await h.commit({ 'a.txt': 'a\n' })
    await h.git(['checkout', '-q', '-b', 'gone'])
    await h.commit({ 'b.txt': 'b\n'.repeat(100) })
    await h.importInto({ store, repoId })
    await store.updateRefs(repoId, [{ name: 'refs/heads/gone', oid: null }])
    const before = await store.countObjects(repoId)
    const dry = await collectGarbage({ store, repoId, options: { prune: 'now', dryRun: true } })
    expect(await store.countObjects(repoId)).toBe(before)
    const { rows } = await stored.db.query('SELECT 1 FROM git_unreachable WHERE repo_id = $1', [
      repoId,
    ])
    expect(rows).toEqual([])
    const real = await collectGarbage({ store, repoId, options: { prune: 'now' } })
    expect(dry.report.deleted).toBe(3)
    expect(real.report.deleted).toBe(dry.report.deleted)
    expect(real.report.bytesFreed).toBe(dry.report.bytesFreed)
    expect(await store.countObjects(repoId)).toBe(before - 3)
  })

  it('stores a reachable delta whose base goes again whole, depths exact', async () => {
    const { h, repoId, newBlob } = await fixture.deltasOnBranch('rebase')
    await h.git(['branch', '-D', 'newer'])
    await h.importInto({ store, repoId })

    const { report } = await collectGarbage({ store, repoId, options: { prune: 'now' } })
    expect(report.deleted).toBe(3)
    expect(report.rebased).toBeGreaterThan(0)
    expect(await fixture.stillStored(repoId, [newBlob])).toBe(0)
    await fixture.expectWhole(h, repoId)
  })
})
