import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BadObjectError, makeObject } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importLocal } from '../src/local-git/import-local.ts'
import { craftCommit, craftTree, writeCraftedRepo } from '../../../test/support/crafted-repo.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
let dir: string
beforeAll(async () => {
  t = await createTestApp()
  dir = mkdtempSync(join(tmpdir(), 'gitpg-import-local-fsck-'))
})
afterAll(async () => {
  await t?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('importLocal of objects git fsck refuses', () => {
  it('refuses a repository with a ../../escape.txt entry and creates nothing', async () => {
    const blob = makeObject('blob', Buffer.from('x\n'))
    const tree = craftTree([{ mode: '100644', name: '../../escape.txt', oid: blob.oid }])
    const commit = craftCommit({ tree: tree.oid })
    const repo = join(dir, 'escape.git')
    await writeCraftedRepo(repo, [blob, tree, commit], commit.oid)
    const err = await importLocal({ store: t.store, project: 'escape', path: repo }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(BadObjectError)
    expect((err as BadObjectError).message).toBe(
      `object ${tree.oid}: fullPathname: contains full pathnames`,
    )
    expect(await t.store.getRepo('escape')).toBeNull()
  })
})
