import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tryLockMaintenance } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maintainProject } from '../src/domain/maintenance.ts'
import { exportRepository } from '../src/local-git/export-repository.ts'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t?.close())

/**
 * A project whose `feature` branch holds objects main does not; returns the ids git lists for
 * them, and the content of a file only the branch has.
 */
async function projectWithBranch(name: string) {
  const g = new GitFixture()
  try {
    for (let i = 0; i < 10; i++) g.write(`src/f${i}.txt`, `main ${i}\n`.repeat(50))
    g.commit('base')
    g.git('checkout', '-q', '-b', 'feature')
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 5; i++) g.write(`feature/g${i}.txt`, `feature ${c} ${i}\n`.repeat(40))
      g.commit(`feature ${c}`)
    }
    g.write('shared-by-pending.txt', 'kept by a pending change\n')
    g.commit('feature: a file a pending change also holds')
    g.git('checkout', '-q', 'main')
    const unique = g
      .git('rev-list', '--objects', 'feature', '^main')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(0, 40))
    const pendingBlob = g.git('rev-parse', 'feature:shared-by-pending.txt').trim()
    await loadFixture(t, name, g)
    return { unique, pendingBlob }
  } finally {
    g.cleanup()
  }
}

async function repoIdOf(name: string): Promise<number> {
  const { rows } = await t.db.query('SELECT repo_id FROM repos WHERE name = $1', [name])
  return rows[0].repo_id
}

async function stored(repoId: number, oids: string[]): Promise<Set<string>> {
  return t.store.hasObjects(repoId, oids)
}

/** `git fsck --strict` of the project exported as a bare repository; throws when it finds fault. */
async function fsck(repoId: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gitpg-maint-'))
  try {
    await exportRepository({ store: t.store, repoId, dir: join(dir, 'r.git'), bare: true })
    return execFileSync('git', ['-C', join(dir, 'r.git'), 'fsck', '--strict', '--no-dangling'], {
      stdio: 'pipe',
    }).toString()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('GET /projects/:id/storage', () => {
  it('counts the objects git lists, their stored bytes, and no maintenance yet', async () => {
    const g = new GitFixture()
    let listed: number
    try {
      for (let i = 0; i < 6; i++) g.write(`f${i}.txt`, `${i}\n`)
      g.commit('one')
      g.write('f0.txt', 'changed\n')
      g.commit('two')
      listed = g.git('rev-list', '--objects', '--all').split('\n').filter(Boolean).length
      await loadFixture(t, 'counted', g)
    } finally {
      g.cleanup()
    }
    const res = await t.callJson('GET', '/projects/counted/storage')
    expect(res.status).toBe(200)
    expect(res.body.objects).toBe(listed)
    expect(res.body.wholeObjects + res.body.deltaObjects).toBe(listed)
    expect(res.body.storedBytes).toBeGreaterThan(0)
    expect(res.body).toMatchObject({ packs: 0, packedObjects: 0, packedBytes: 0 })
    expect(res.body.lastMaintenance).toBeNull()
    expect(res.body).not.toHaveProperty('reclaimable')
    expect((await t.callJson('GET', '/projects/nope/storage')).body.error.code).toBe(
      'PROJECT_NOT_FOUND',
    )
  })
})

describe('POST /projects/:id/maintenance', () => {
  it('keeps unreachable objects within the prune age, then removes them with prune=now', async () => {
    const { unique, pendingBlob } = await projectWithBranch('pruned')
    const repoId = await repoIdOf('pruned')
    expect((await stored(repoId, unique)).size).toBe(unique.length)
    // a pending change holds the same content as a file only the branch has
    await t.call('PUT', '/pending/pruned/ada/notes.txt', { body: 'kept by a pending change\n' })
    expect((await t.call('DELETE', '/projects/pruned/branches/feature')).status).toBe(204)
    const before = (await t.callJson('GET', '/projects/pruned/storage')).body

    const reclaim = await t.callJson('GET', '/projects/pruned/storage?reclaimable=true&prune=now')
    expect(reclaim.status).toBe(200)
    expect(reclaim.body.reclaimable.objects).toBe(unique.length - 1)
    expect(reclaim.body.reclaimable.bytes).toBeGreaterThan(0)
    expect((await stored(repoId, unique)).size).toBe(unique.length)

    const young = await t.callJson('POST', '/projects/pruned/maintenance', { json: {} })
    expect(young.status).toBe(200)
    expect(young.body.gc).toMatchObject({ deleted: 0, kept: unique.length - 1 })
    expect((await stored(repoId, unique)).size).toBe(unique.length)

    const now = await t.callJson('POST', '/projects/pruned/maintenance', { json: { prune: 'now' } })
    expect(now.status).toBe(200)
    expect(now.body.gc.deleted).toBe(unique.length - 1)
    expect(now.body.gc.bytesFreed).toBeGreaterThan(0)
    expect([...(await stored(repoId, unique))]).toEqual([pendingBlob])

    const after = (await t.callJson('GET', '/projects/pruned/storage')).body
    expect(after.objects).toBe(before.objects - (unique.length - 1))
    expect(after.storedBytes).toBeLessThan(before.storedBytes)
    expect(after.lastMaintenance.report).toEqual(now.body)
    expect(Date.parse(after.lastMaintenance.at)).toBeGreaterThan(Date.now() - 60_000)
    await fsck(repoId)
    const file = await t.call('GET', '/files/pruned/src/f3.txt')
    expect(await file.text()).toBe('main 3\n'.repeat(50))
  })

  it('answers 409 MAINTENANCE_RUNNING while a run holds the project elsewhere', async () => {
    await t.callJson('PUT', '/projects/busy')
    await t.callJson('PUT', '/files/busy/a.txt', { body: 'a\n' })
    const lock = await tryLockMaintenance(t.db, await repoIdOf('busy'))
    expect(lock).not.toBeNull()
    try {
      const run = await t.callJson('POST', '/projects/busy/maintenance', { json: {} })
      expect(run.status).toBe(409)
      expect(run.body.error.code).toBe('MAINTENANCE_RUNNING')
      const dry = await t.callJson('GET', '/projects/busy/storage?reclaimable=true')
      expect(dry.status).toBe(409)
      expect(dry.body.error.code).toBe('MAINTENANCE_RUNNING')
    } finally {
      await lock?.release()
    }
    expect((await t.callJson('POST', '/projects/busy/maintenance', { json: {} })).status).toBe(200)
  })

  it('refuses a prune age that is not one, and an unknown project', async () => {
    await t.callJson('PUT', '/projects/aged')
    for (const prune of ['later', '2.fortnights.ago', '']) {
      const res = await t.callJson('POST', '/projects/aged/maintenance', { json: { prune } })
      expect(res.status, prune).toBe(400)
    }
    const bad = await t.callJson('POST', '/projects/aged/maintenance', { json: { prune: 'soon' } })
    expect(bad.body.error.code).toBe('INVALID_PRUNE_AGE')
    const query = await t.callJson('GET', '/projects/aged/storage?reclaimable=true&prune=soon')
    expect(query.body.error.code).toBe('INVALID_PRUNE_AGE')
    const missing = await t.callJson('POST', '/projects/missing/maintenance', { json: {} })
    expect([missing.status, missing.body.error.code]).toEqual([404, 'PROJECT_NOT_FOUND'])
  })
})

describe('maintainProject', () => {
  it('counts what collection would remove without a delta search when told not to repack', async () => {
    const { unique } = await projectWithBranch('gc-only')
    const repoId = await repoIdOf('gc-only')
    for (let v = 0; v < 3; v++)
      await t.callJson('PUT', '/files/gc-only/src/f1.txt', { body: `version ${v}\n`.repeat(80) })
    expect((await t.call('DELETE', '/projects/gc-only/branches/feature')).status).toBe(204)
    const full = await maintainProject({ store: t.store, repoId, prune: 'now', dryRun: true })
    expect(full!.repack.considered).toBeGreaterThan(0)
    const gcOnly = await maintainProject({
      store: t.store,
      repoId,
      prune: 'now',
      dryRun: true,
      repack: false,
    })
    expect(gcOnly!.gc).toMatchObject({ deleted: unique.length, unreachable: unique.length })
    expect(gcOnly!.repack.considered).toBe(0)
    expect((await stored(repoId, unique)).size).toBe(unique.length)
  })
})
