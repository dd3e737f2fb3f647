import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { renameHistory } from './support/rename-history.ts'
import { apiLog, apiNameStatus, gitFollow, gitNameStatus } from './support/rename-compare.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

// a file of its own: fingerprints are cached by blob id for the whole process, and a cached one
// costs no bytes
let t: TestApp
let g: GitFixture
const c: Record<string, string> = {}

beforeAll(async () => {
  g = new GitFixture()
  Object.assign(c, renameHistory(g, [['edited', 3]]))
  t = await createTestApp({ config: { renameMaxBytes: 1 } })
  await loadFixture(t, 'budget', g)
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
