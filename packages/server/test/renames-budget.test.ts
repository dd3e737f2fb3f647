import { importPack } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from './support/git-fixture.ts'
import { apiLog, apiNameStatus, gitFollow, gitNameStatus } from './support/rename-compare.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

// a file of its own: fingerprints are cached by blob id for the whole process, and a cached one
// costs no bytes
let t: TestApp
let g: GitFixture
const c: Record<string, string> = {}
const text = (tag: string) =>
  Array.from({ length: 30 }, (_, i) => `${tag} ${i} some words to weigh the line\n`).join('')

beforeAll(async () => {
  g = new GitFixture()
  g.write('old/exact.txt', text('exact'))
  g.write('old/edited.txt', text('edited'))
  c.base = g.commit('base')
  g.remove('old/exact.txt')
  g.write('new/exact.txt', text('exact'))
  g.remove('old/edited.txt')
  g.write('new/edited-renamed.txt', text('edited').replace('edited 3', 'changed 3'))
  c.moved = g.commit('moved')
  g.write('new/edited-renamed.txt', text('edited').replace('edited 4', 'changed 4'))
  c.edited = g.commit('edited')
  t = await createTestApp({ config: { renameMaxBytes: 1 } })
  await t.callJson('PUT', '/projects/budget')
  const { rows } = await t.db.query('SELECT repo_id FROM repos WHERE name = $1', ['budget'])
  await importPack({
    store: t.store,
    repoId: rows[0].repo_id,
    pack: g.pack(),
    refUpdates: g.refs(),
  })
})
afterAll(async () => {
  g?.cleanup()
  await t?.close()
})

describe('the rename byte budget (GITPG_RENAME_MAX_BYTES)', () => {
  it('keeps exact renames and leaves out the ones that need blobs read', async () => {
    const got = await apiNameStatus(t, 'budget', `from=${c.base}&to=${c.moved}&renames=true`)
    expect(got).toEqual(gitNameStatus(g, ['-M100%', c.base, c.moved]))
    expect(got.some((l) => l.startsWith('R100'))).toBe(true)
    expect(gitNameStatus(g, ['-M', c.base, c.moved]).filter((l) => l.startsWith('R'))).toHaveLength(
      2,
    )
  })

  it('stops following where finding the origin needs blobs read', async () => {
    expect(await apiLog(t, 'budget', 'path=new/exact.txt&follow=true')).toEqual(
      gitFollow(g, 'main', 'new/exact.txt'),
    )
    expect(gitFollow(g, 'main', 'new/edited-renamed.txt')).toEqual([c.edited, c.moved, c.base])
    expect(await apiLog(t, 'budget', 'path=new/edited-renamed.txt&follow=true')).toEqual([
      c.edited,
      c.moved,
    ])
  })
})
