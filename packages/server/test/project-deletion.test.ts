import pino from 'pino'
import { makeObject, purgeRepo } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MaintenanceJob } from '../src/maintenance/maintenance-job.ts'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const BATCH = 20

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ config: { maintenance: { batchSize: BATCH } } })
  // every DELETE statement on git_objects logs its transaction and how many rows it removed
  await t.db.query(`
    CREATE TABLE test_delete_log (xid bigint NOT NULL, n int NOT NULL);
    CREATE FUNCTION test_log_deletes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO test_delete_log SELECT txid_current(), count(*) FROM gone;
      RETURN NULL;
    END $$;
    CREATE TRIGGER test_log_deletes AFTER DELETE ON git_objects
      REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION test_log_deletes();`)
})
afterAll(async () => t?.close())

/** A project of a few hundred objects: 40 files over 4 commits, plus a commit, a pending change. */
async function bigProject(name: string): Promise<number> {
  const g = new GitFixture()
  try {
    for (let c = 0; c < 4; c++) {
      for (let i = 0; i < 40; i++) g.write(`dir${i % 5}/f${i}.txt`, `${name} ${c} ${i}\n`)
      g.commit(`commit ${c}`)
    }
    await loadFixture(t, name, g)
  } finally {
    g.cleanup()
  }
  await t.callJson('PUT', `/files/${name}/extra.txt`, { body: 'extra\n' })
  await t.callJson('PUT', `/pending/${name}/ada/draft.txt`, { body: 'draft\n' })
  return repoIdOf(name)
}

async function repoIdOf(name: string): Promise<number> {
  const { rows } = await t.db.query('SELECT repo_id FROM repos WHERE name = $1', [name])
  return rows[0].repo_id
}

/** Rows of the repository in every table that holds rows by repo_id, by table. */
async function rowsOf(repoId: number): Promise<Record<string, number>> {
  const { rows: tables } = await t.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_name = 'repo_id' ORDER BY table_name`,
  )
  const out: Record<string, number> = {}
  for (const { table_name } of tables) {
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM ${table_name} WHERE repo_id = $1`,
      [repoId],
    )
    out[table_name] = rows[0].n
  }
  return out
}

const nonZero = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0))

describe('DELETE /projects/:id', () => {
  it('removes a large project in many transactions of at most the batch size', async () => {
    const doomed = await bigProject('doomed')
    const kept = await bigProject('kept')
    const before = await rowsOf(kept)
    const objects = (await rowsOf(doomed)).git_objects
    expect(objects).toBeGreaterThan(8 * BATCH)
    expect(nonZero(await rowsOf(doomed))).toMatchObject({
      git_refs: expect.any(Number),
      git_commit_graph: expect.any(Number),
      pending_changes: 1,
      project_events: expect.any(Number),
    })
    await t.db.query('TRUNCATE test_delete_log')

    expect((await t.call('DELETE', '/projects/doomed')).status).toBe(204)

    expect(nonZero(await rowsOf(doomed))).toEqual({})
    const { rows: queued } = await t.db.query('SELECT * FROM git_deleted_repos')
    expect(queued).toEqual([])
    const { rows: txs } = await t.db.query<{ n: number }>(
      'SELECT sum(n)::int AS n FROM test_delete_log GROUP BY xid',
    )
    expect(txs.reduce((sum, r) => sum + r.n, 0)).toBe(objects)
    expect(Math.max(...txs.map((r) => r.n))).toBeLessThanOrEqual(BATCH)
    expect(txs.length).toBeGreaterThanOrEqual(Math.ceil(objects / BATCH))

    // the other project is whole and readable
    expect(await rowsOf(kept)).toEqual(before)
    const file = await t.call('GET', '/files/kept/dir0/f0.txt')
    expect(await file.text()).toBe('kept 3 0\n')
    // the name is free again
    expect((await t.callJson('GET', '/projects/doomed')).status).toBe(404)
    expect((await t.callJson('PUT', '/projects/doomed')).status).toBe(201)
    expect((await t.callJson('GET', '/files/doomed')).body.files).toEqual([])
  })

  it('a deletion a crash interrupts is finished by the next maintenance pass', async () => {
    const repoId = await bigProject('crashed')
    const total = (counts: Record<string, number>) =>
      Object.values(counts).reduce((sum, n) => sum + n, 0)
    // hidden in one transaction, as a DELETE does first; then the purge dies after 3 batches
    await t.store.transaction((tx) => tx.deleteRepo(repoId))
    const hidden = total(await rowsOf(repoId))
    expect((await t.callJson('GET', '/projects/crashed')).status).toBe(404)
    const crash = new AbortController()
    let batches = 0
    let removed = 0
    await expect(
      purgeRepo({
        db: t.db,
        repoId,
        options: {
          batchSize: BATCH,
          signal: crash.signal,
          onBatch: ({ rows }) => {
            removed += rows
            if (++batches === 3) crash.abort(new Error('crash'))
          },
        },
      }),
    ).rejects.toThrow('crash')
    const left = await rowsOf(repoId)
    expect(removed).toBeGreaterThan(0)
    expect(total(left)).toBe(hidden - removed)
    expect(left.git_objects).toBeGreaterThan(0)
    const { rows: queued } = await t.db.query('SELECT repo_id FROM git_deleted_repos')
    expect(queued).toEqual([{ repo_id: repoId }])

    const job = new MaintenanceJob({
      store: t.store,
      logger: pino({ level: 'silent' }),
      intervalMs: 0,
      pruneExpire: '2.weeks.ago',
      batchSize: BATCH,
      pauseMs: 0,
    })
    const pass = await job.runOnce()
    await job.close()
    expect(pass).toMatchObject({ ran: true, deletionsFinished: 1 })
    expect(nonZero(await rowsOf(repoId))).toEqual({})
    expect((await t.db.query('SELECT * FROM git_deleted_repos')).rows).toEqual([])
  })

  it('removes rows a write still under way adds to a table already emptied', async () => {
    const repoId = await bigProject('racing')
    await t.store.transaction((tx) => tx.deleteRepo(repoId))
    let added = false
    const result = await purgeRepo({
      db: t.db,
      repoId,
      options: {
        batchSize: BATCH,
        onBatch: async ({ table }) => {
          if (table !== 'git_objects' || added) return
          added = true
          // a push that began before the deletion writes its commit graph row late
          await t.db.query(
            `INSERT INTO git_commit_graph (repo_id, oid, tree, parents, commit_time)
             VALUES ($1, '\\x01', '\\x02', '{}', 0)`,
            [repoId],
          )
        },
      },
    })
    expect(added).toBe(true)
    expect(result.done).toBe(true)
    expect(nonZero(await rowsOf(repoId))).toEqual({})
  })

  it('leaves no row of a write that commits after the deletion, nor of one that starts after it', async () => {
    const repoId = await bigProject('late-writer')
    const blob = (text: string) => makeObject('blob', Buffer.from(text))
    let wrote = () => {}
    const written = new Promise<void>((resolve) => (wrote = resolve))
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    // a push under way: its objects written, its transaction open when the deletion begins
    const writer = t.store.transaction(async (tx) => {
      await tx.writeObjects(repoId, [blob('pushed before the deletion\n')])
      wrote()
      await held
      await tx.writeObjects(repoId, [blob('pushed while the deletion ran\n')])
    })
    await written
    const deletion = t.store.deleteRepo(repoId, { batchSize: BATCH })
    // the deletion would finish its passes while the push is open, if it did not wait for it
    await Promise.race([deletion, new Promise((resolve) => setTimeout(resolve, 2000))])
    release()
    await writer.catch(() => {})
    await deletion
    expect(nonZero(await rowsOf(repoId))).toEqual({})
    // a writer that found the project before the deletion, and writes after it
    const late = await t.store.writeObjects(repoId, [blob('pushed after the deletion\n')]).then(
      () => null,
      (err: unknown) => err,
    )
    expect(late).toMatchObject({ code: 'REPO_NOT_FOUND' })
    expect(nonZero(await rowsOf(repoId))).toEqual({})
  })
})
