import { importPack } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from './support/git-fixture.ts'
import {
  apiLog,
  apiNameStatus,
  gitBytes,
  gitFollow,
  gitNameStatus,
} from './support/rename-compare.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
let g: GitFixture
const c: Record<string, string> = {}
const text = (tag: string) =>
  Array.from({ length: 30 }, (_, i) => `${tag} ${i} some words to weigh the line\n`).join('')

beforeAll(async () => {
  g = new GitFixture()
  g.write('old/exact.txt', text('exact'))
  g.write('old/one.txt', text('one'))
  g.write('old/two.txt', text('two'))
  c.base = g.commit('base')
  g.remove('old/exact.txt')
  g.write('new/exact.txt', text('exact'))
  g.remove('old/one.txt')
  g.write('new/one-renamed.txt', text('one').replace('one 3', 'changed 3'))
  g.remove('old/two.txt')
  g.write('new/two-renamed.txt', text('two').replace('two 5', 'changed 5'))
  c.moved = g.commit('moved')
  g.write('new/one-renamed.txt', text('one').replace('one 4', 'changed 4'))
  c.edited = g.commit('edited')
  // a budget far below what comparing two files of 30 lines takes
  t = await createTestApp({ config: { renameMaxSteps: 10 } })
  await t.callJson('PUT', '/projects/steps')
  const { rows } = await t.db.query('SELECT repo_id FROM repos WHERE name = $1', ['steps'])
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

describe('the rename step budget (GITPG_RENAME_MAX_STEPS)', () => {
  it('answers as git diff -M does past diff.renameLimit: exact renames only', async () => {
    const withRenames = gitNameStatus(g, ['-M', c.base, c.moved])
    expect(withRenames.filter((l) => l.startsWith('R'))).toHaveLength(3)
    const pastLimit = gitNameStatus(g, ['-M', '-l1', c.base, c.moved])
    expect(pastLimit.filter((l) => l.startsWith('R'))).toHaveLength(1)
    expect(await apiNameStatus(t, 'steps', `from=${c.base}&to=${c.moved}&renames=true`)).toEqual(
      pastLimit,
    )
    expect(await apiNameStatus(t, 'steps', `from=${c.base}&to=${c.moved}&copies=true`)).toEqual(
      gitNameStatus(g, ['-C', '-l1', c.base, c.moved]),
    )
  })

  it('says so: renamesLimited in the JSON, X-Gitpg-Renames-Limited on the patch', async () => {
    const range = `from=${c.base}&to=${c.moved}`
    const json = await t.callJson('GET', `/projects/steps/diff?${range}&renames=true`)
    expect(json.body.renamesLimited).toBe(true)
    const patch = await t.call('GET', `/projects/steps/diff?${range}&renames=true&format=patch`)
    expect(patch.status).toBe(200)
    expect(patch.headers.get('X-Gitpg-Renames-Limited')).toBe('true')
    expect(await patch.text()).toBe(gitBytes(g, ['diff', '-M', '-l1', c.base, c.moved]).toString())
    // an exact rename needs no matrix: nothing was left out
    const exactOnly = await t.callJson(
      'GET',
      `/projects/steps/diff?from=${c.base}&to=${c.moved}&path=new/exact.txt&renames=true`,
    )
    expect(exactOnly.body).not.toHaveProperty('renamesLimited', true)
  })

  it('follows exact renames and stops where an inexact one would need the matrix', async () => {
    expect(await apiLog(t, 'steps', 'path=new/exact.txt&follow=true')).toEqual(
      gitFollow(g, 'main', 'new/exact.txt'),
    )
    expect(gitFollow(g, 'main', 'new/one-renamed.txt')).toEqual([c.edited, c.moved, c.base])
    expect(await apiLog(t, 'steps', 'path=new/one-renamed.txt&follow=true')).toEqual([
      c.edited,
      c.moved,
    ])
  })
})
