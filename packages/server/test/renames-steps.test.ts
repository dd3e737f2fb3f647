import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { renameHistory } from './support/rename-history.ts'
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

beforeAll(async () => {
  g = new GitFixture()
  Object.assign(
    c,
    renameHistory(g, [
      ['one', 3],
      ['two', 5],
    ]),
  )
  // a budget far below what comparing two files of 30 lines takes
  t = await createTestApp({ config: { renameMaxSteps: 10 } })
  await loadFixture(t, 'steps', g)
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
