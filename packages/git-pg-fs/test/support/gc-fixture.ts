import { expect } from 'vitest'
import { makeObject, type GitObject, type ObjectType } from '../../src/objects/git-object.ts'
import type { PostgresStore } from '../../src/store/postgres/postgres-store.ts'
import { catFileBatch, git, lines } from '../../../../test/support/git-cli.ts'
import { exportObjects, fsckStrict } from '../../../../test/support/export-objects.ts'
import { createStoreDatabase, type StoreDatabase } from '../../../../test/support/store-database.ts'
import { GitHistory } from './git-history.ts'

/** A database of its own, and git histories to import into it and judge the store against. */
export class GcFixture {
  readonly stored: StoreDatabase
  readonly store: PostgresStore
  readonly #histories: GitHistory[] = []

  private constructor(stored: StoreDatabase) {
    this.stored = stored
    this.store = stored.store
  }

  static async create(): Promise<GcFixture> {
    return new GcFixture(await createStoreDatabase())
  }

  async close(): Promise<void> {
    for (const h of this.#histories) await h.remove()
    await this.stored.close()
  }

  /** A new git repository and a new repository in the store. */
  async newRepo(name: string): Promise<{ h: GitHistory; repoId: number }> {
    const h = await GitHistory.create()
    this.#histories.push(h)
    const { repo } = await this.store.createRepo({ name })
    return { h, repoId: repo.repoId }
  }

  /** The objects `rev-list --objects <include> --not <exclude>` lists. */
  async objectsOf(h: GitHistory, include: string, exclude: string[]): Promise<string[]> {
    const out = await h.git(['rev-list', '--objects', include, '--not', ...exclude])
    return lines(out).map((l) => l.slice(0, 40))
  }

  /** How many of `oids` the store holds. */
  async stillStored(repoId: number, oids: readonly string[]): Promise<number> {
    return (await this.store.hasObjects(repoId, oids)).size
  }

  /** The objects of `oids` as git holds them in `h`. */
  async readFromGit(h: GitHistory, oids: readonly string[]): Promise<GitObject[]> {
    const objects = await catFileBatch(h.dir, oids)
    return [...objects.values()].map((o) => makeObject(o.type as ObjectType, o.content))
  }

  /**
   * Every object `git rev-list --objects --all` lists reads back from the store with its id, a
   * repository made of what the store holds for every ref is `git fsck --strict` clean, and
   * every stored delta's depth is exact.
   */
  async expectWhole(h: GitHistory, repoId: number): Promise<void> {
    const expected = [...(await h.reachable()).keys()]
    const read = await this.store.readObjects(repoId, expected)
    expect(read.size).toBe(expected.length)
    const copy = await GitHistory.create()
    this.#histories.push(copy)
    for (const ref of await this.store.listRefs(repoId, 'refs/')) {
      await exportObjects({ store: this.store, repoId, dir: copy.dir, oid: ref.oid! })
      await git(copy.dir, ['update-ref', ref.name, ref.oid!])
    }
    await fsckStrict(copy.dir)
    await this.expectExactDepths(repoId)
  }

  /** Every stored delta's depth is one more than its base's; whole objects are at depth 0. */
  async expectExactDepths(repoId: number): Promise<void> {
    const { rows } = await this.stored.db.query<{ oid: string }>(
      `SELECT encode(o.oid, 'hex') AS oid
       FROM git_objects o LEFT JOIN git_objects b ON b.repo_id = o.repo_id AND b.oid = o.base
       WHERE o.repo_id = $1 AND (o.base IS NULL AND o.depth <> 0
         OR o.base IS NOT NULL AND (b.oid IS NULL OR o.depth <> b.depth + 1))`,
      [repoId],
    )
    expect(rows).toEqual([])
  }

  /** How many of the commits `oids` have commit graph rows. */
  async graphRows(repoId: number, oids: readonly string[]): Promise<number> {
    const { rows } = await this.stored.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM git_commit_graph WHERE repo_id = $1 AND oid = ANY($2::bytea[])`,
      [repoId, oids.map((o) => Buffer.from(o, 'hex'))],
    )
    return Number(rows[0].n)
  }

  /**
   * A history whose older versions of a file git stores as deltas of the newest one, which only
   * the branch `newer` reaches, imported from a real git pack. Returns the newest version's blob
   * and the older ones (stored as its deltas, directly or down a chain).
   */
  async deltasOnBranch(name: string): Promise<{
    h: GitHistory
    repoId: number
    newBlob: string
    olderBlobs: string[]
  }> {
    const { h, repoId } = await this.newRepo(name)
    const line = (i: number) => `line ${i} of a file long enough for git to store deltas\n`
    const text = (n: number) => Array.from({ length: n }, (_, i) => line(i)).join('')
    const older = [
      await h.commit({ 'big.txt': text(400) }),
      await h.commit({ 'big.txt': text(410) }),
    ]
    await h.git(['checkout', '-q', '-b', 'newer'])
    // the largest version: git deltas the smaller, older ones against it
    const newest = await h.commit({ 'big.txt': text(420) })
    await h.git(['checkout', '-q', 'main'])
    await git(h.dir, ['repack', '-adfq', '--depth=50', '--window=10'])
    await h.importInto({ store: this.store, repoId })
    const blob = async (commit: string) => (await h.git(['rev-parse', `${commit}:big.txt`])).trim()
    const newBlob = await blob(newest)
    const olderBlobs = [await blob(older[0]), await blob(older[1])]
    const { rows } = await this.stored.db.query<{ oid: string }>(
      `SELECT encode(oid, 'hex') AS oid FROM git_objects WHERE repo_id = $1 AND base = $2`,
      [repoId, Buffer.from(newBlob, 'hex')],
    )
    // the tests mean something only if an older version is stored as a delta of the newest
    expect(rows.map((r) => r.oid).filter((o) => olderBlobs.includes(o)).length).toBeGreaterThan(0)
    return { h, repoId, newBlob, olderBlobs }
  }
}
