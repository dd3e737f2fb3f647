import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectGarbage } from '../src/maintenance/collect-garbage.ts'
import type { PostgresStore } from '../src/store/postgres/postgres-store.ts'
import { git, lines } from '../../../test/support/git-cli.ts'
import { exportObjects, fsckStrict } from '../../../test/support/export-objects.ts'
import { createStoreDatabase, type StoreDatabase } from '../../../test/support/store-database.ts'
import { GitHistory } from './support/git-history.ts'

let stored: StoreDatabase
let store: PostgresStore
const histories: GitHistory[] = []

beforeAll(async () => {
  stored = await createStoreDatabase()
  store = stored.store
})

afterAll(async () => {
  for (const h of histories) await h.remove()
  await stored?.close()
})

async function newRepo(name: string): Promise<{ h: GitHistory; repoId: number }> {
  const h = await GitHistory.create()
  histories.push(h)
  const { repo } = await store.createRepo({ name })
  return { h, repoId: repo.repoId }
}

/** The objects `rev-list --objects <include> --not <exclude>` lists. */
async function objectsOf(h: GitHistory, include: string, exclude: string[]): Promise<string[]> {
  const out = await h.git(['rev-list', '--objects', include, '--not', ...exclude])
  return lines(out).map((l) => l.slice(0, 40))
}

async function stillStored(repoId: number, oids: readonly string[]): Promise<number> {
  return (await store.hasObjects(repoId, oids)).size
}

/**
 * Every object `git rev-list --objects --all` lists reads back from the store with its id, and a
 * repository made of what the store holds for every ref is `git fsck --strict` clean.
 */
async function expectWhole(h: GitHistory, repoId: number): Promise<void> {
  const expected = [...(await h.reachable()).keys()]
  const read = await store.readObjects(repoId, expected)
  expect(read.size).toBe(expected.length)
  const copy = await GitHistory.create()
  histories.push(copy)
  for (const ref of await store.listRefs(repoId, 'refs/')) {
    await exportObjects({ store, repoId, dir: copy.dir, oid: ref.oid! })
    await git(copy.dir, ['update-ref', ref.name, ref.oid!])
  }
  await fsckStrict(copy.dir)
  await expectExactDepths(repoId)
}

/** Every stored delta's depth is one more than its base's; whole objects are at depth 0. */
async function expectExactDepths(repoId: number): Promise<void> {
  const { rows } = await stored.db.query<{ oid: string; depth: number; base_depth: number }>(
    `SELECT encode(o.oid, 'hex') AS oid, o.depth, b.depth AS base_depth
     FROM git_objects o LEFT JOIN git_objects b ON b.repo_id = o.repo_id AND b.oid = o.base
     WHERE o.repo_id = $1 AND (o.base IS NULL AND o.depth <> 0
       OR o.base IS NOT NULL AND (b.oid IS NULL OR o.depth <> b.depth + 1))`,
    [repoId],
  )
  expect(rows).toEqual([])
}

async function graphRows(repoId: number, oids: readonly string[]): Promise<number> {
  const { rows } = await stored.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM git_commit_graph WHERE repo_id = $1 AND oid = ANY($2::bytea[])`,
    [repoId, oids.map((o) => Buffer.from(o, 'hex'))],
  )
  return Number(rows[0].n)
}

describe('collectGarbage', () => {
  it("removes a deleted branch's objects and its commit graph rows, keeps the rest", async () => {
    const { h, repoId } = await newRepo('deleted-branch')
    await h.commit({ 'a.txt': 'a\n', 'dir/b.txt': 'b\n' })
    await h.git(['checkout', '-q', '-b', 'topic'])
    await h.commit({ 'dir/sub/c.txt': 'c\n'.repeat(1000), 'a.txt': 'a2\n' })
    await h.commit({ 'dir/sub/c.txt': 'c2\n'.repeat(1000) })
    await h.git(['checkout', '-q', 'main'])
    await h.commit({ 'main.txt': 'main\n' })
    await h.importInto({ store, repoId })
    const unique = await objectsOf(h, 'topic', ['main'])
    const commits = lines(await h.git(['rev-list', 'topic', '--not', 'main']))
    expect(await stillStored(repoId, unique)).toBe(unique.length)
    expect(await graphRows(repoId, commits)).toBe(2)
    await h.git(['branch', '-D', 'topic'])
    await h.importInto({ store, repoId })

    const { report } = await collectGarbage({ store, repoId, options: { prune: 'now' } })
    expect(report).toMatchObject({ unreachable: unique.length, deleted: unique.length, kept: 0 })
    expect(report.bytesFreed).toBeGreaterThan(0)
    expect(report.reachable).toBe((await h.reachable()).size)
    expect(await stillStored(repoId, unique)).toBe(0)
    expect(await graphRows(repoId, commits)).toBe(0)
    await expectWhole(h, repoId)

    const again = await collectGarbage({ store, repoId, options: { prune: 'now' } })
    expect(again.report).toMatchObject({ unreachable: 0, deleted: 0 })
  })

  it("removes a forced push's old history in small batches, referrers first", async () => {
    const { h, repoId } = await newRepo('forced')
    const base = await h.commit({ 'a.txt': 'a\n' })
    for (let i = 0; i < 5; i++) await h.commit({ [`f${i}/x.txt`]: `${i}\n`, 'a.txt': `a${i}\n` })
    await h.importInto({ store, repoId })
    const old = await objectsOf(h, 'main', [base])
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
    expect(await stillStored(repoId, doomed)).toBe(0)
    await expectWhole(h, repoId)
    expect(events).toContain('gc')
  })

  it('keeps garbage younger than the prune age, records it, and removes it later', async () => {
    const { h, repoId } = await newRepo('prune-age')
    await h.commit({ 'a.txt': 'a\n' })
    await h.git(['checkout', '-q', '-b', 'gone'])
    await h.commit({ 'b.txt': 'b\n' })
    await h.importInto({ store, repoId })
    const unique = await objectsOf(h, 'gone', ['main'])
    await h.git(['checkout', '-q', 'main'])
    await h.git(['branch', '-D', 'gone'])
    await h.importInto({ store, repoId })

    const hourAgo = new Date(Date.now() - 3600_000)
    const first = await collectGarbage({ store, repoId, options: { prune: hourAgo } })
    expect(first.report).toMatchObject({ unreachable: unique.length, kept: unique.length })
    expect(first.report.deleted).toBe(0)
    expect(await stillStored(repoId, unique)).toBe(unique.length)
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
    expect(await stillStored(repoId, unique)).toBe(0)
    const left = await stored.db.query('SELECT 1 FROM git_unreachable WHERE repo_id = $1', [repoId])
    expect(left.rows.length).toBe(0)
    await expectWhole(h, repoId)
  })

  it('forgets the age of an object a ref reaches again', async () => {
    const { h, repoId } = await newRepo('revived')
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
    const { h, repoId } = await newRepo('dry')
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
    const { h, repoId } = await newRepo('rebase')
    const line = (i: number) => `line ${i} of a file long enough for git to store deltas\n`
    const text = (n: number) => Array.from({ length: n }, (_, i) => line(i)).join('')
    await h.commit({ 'big.txt': text(400) })
    await h.commit({ 'big.txt': text(410) })
    await h.git(['checkout', '-q', '-b', 'newer'])
    // the largest version: git deltas the smaller, older ones against it
    const newest = await h.commit({ 'big.txt': text(420) })
    await h.git(['checkout', '-q', 'main'])
    await git(h.dir, ['repack', '-adfq', '--depth=50', '--window=10'])
    await h.importInto({ store, repoId })
    const newBlob = (await h.git(['rev-parse', `${newest}:big.txt`])).trim()
    const { rows: deltas } = await stored.db.query<{ oid: string }>(
      `SELECT encode(oid, 'hex') AS oid FROM git_objects WHERE repo_id = $1 AND base IS NOT NULL`,
      [repoId],
    )
    const onNew = await stored.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM git_objects WHERE repo_id = $1 AND base = $2`,
      [repoId, Buffer.from(newBlob, 'hex')],
    )
    // the test means something only if the older versions are stored as deltas of the newest
    expect(Number(onNew.rows[0].n)).toBeGreaterThan(0)
    expect(deltas.length).toBeGreaterThan(1)
    await h.git(['branch', '-D', 'newer'])
    await h.importInto({ store, repoId })

    const { report } = await collectGarbage({ store, repoId, options: { prune: 'now' } })
    expect(report.deleted).toBe(3)
    expect(report.rebased).toBeGreaterThan(0)
    expect(await stillStored(repoId, [newBlob])).toBe(0)
    await expectWhole(h, repoId)
  })

  it('waits for a writer holding the lock, then keeps what the writer pointed a ref at', async () => {
    const { h, repoId } = await newRepo('race')
    await h.commit({ 'a.txt': 'a\n' })
    for (const branch of ['one', 'two']) {
      await h.git(['checkout', '-q', '-b', branch, 'main'])
      await h.commit({ [`${branch}/x.txt`]: `${branch}\n`, 'a.txt': `${branch}\n` })
    }
    await h.git(['checkout', '-q', 'main'])
    await h.importInto({ store, repoId })
    const one = await objectsOf(h, 'one', ['main'])
    const two = await objectsOf(h, 'two', ['main'])
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
    expect(await stillStored(repoId, one)).toBe(one.length)
    expect(await stillStored(repoId, two)).toBe(0)
    await expectWhole(h, repoId)
  })
})
