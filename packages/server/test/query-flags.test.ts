import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { apiLog, apiNameStatus, gitFollow, gitNameStatus } from './support/rename-compare.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
let g: GitFixture
const c: Record<string, string> = {}

const lines = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `${tag} line ${i} with some text to weigh it\n`).join('')

beforeAll(async () => {
  t = await createTestApp()
  g = new GitFixture()
  g.write('a.txt', lines(30, 'a'))
  g.write('b.txt', lines(30, 'b'))
  c.base = g.commit('base')
  g.remove('a.txt')
  g.write('moved/a.txt', lines(30, 'a'))
  g.write('b-copy.txt', lines(30, 'b'))
  g.write('b.txt', `${lines(30, 'b')}one more\n`)
  c.next = g.commit('move and copy')
  await loadFixture(t, 'flags', g)
})
afterAll(async () => {
  g?.cleanup()
  await t?.close()
})

describe('yes/no query parameters', () => {
  it('are one schema in the OpenAPI document: true, false, 1 or 0, on every route', async () => {
    const doc = (await t.callJson('GET', '/openapi.json')).body as {
      paths: Record<
        string,
        Record<string, { parameters?: { in: string; name: string; schema: { enum?: string[] } }[] }>
      >
    }
    const flags: string[] = []
    for (const [path, ops] of Object.entries(doc.paths))
      for (const op of Object.values(ops))
        for (const p of op.parameters ?? [])
          if (
            p.in === 'query' &&
            p.schema.enum?.some((v) => ['true', 'false', '1', '0'].includes(v))
          ) {
            flags.push(`${path} ${p.name}`)
            expect([...p.schema.enum].sort(), `${path} ${p.name}`).toEqual([
              '0',
              '1',
              'false',
              'true',
            ])
          }
    expect(flags).toEqual(
      expect.arrayContaining([
        '/projects/{projectId}/log follow',
        '/projects/{projectId}/diff renames',
        '/projects/{projectId}/diff copies',
        '/projects/{projectId}/grep regex',
        '/projects/{projectId}/grep ignoreCase',
      ]),
    )
  })

  it('renames and copies take 1 and 0 as git diff -M, -C and --no-renames answer', async () => {
    const range = `from=${c.base}&to=${c.next}`
    const byGit = {
      renames: gitNameStatus(g, ['-M', c.base, c.next]),
      copies: gitNameStatus(g, ['-C', '-C', c.base, c.next]),
      none: gitNameStatus(g, ['--no-renames', c.base, c.next]),
    }
    expect(byGit.renames.some((r) => r.startsWith('R'))).toBe(true)
    expect(byGit.copies.some((r) => r.startsWith('C'))).toBe(true)
    expect(await apiNameStatus(t, 'flags', `${range}&renames=1`)).toEqual(byGit.renames)
    expect(await apiNameStatus(t, 'flags', `${range}&renames=true`)).toEqual(byGit.renames)
    expect(await apiNameStatus(t, 'flags', `${range}&copies=1`)).toEqual(byGit.copies)
    expect(await apiNameStatus(t, 'flags', `${range}&renames=0`)).toEqual(byGit.none)
    expect(await apiNameStatus(t, 'flags', `${range}&renames=false&copies=0`)).toEqual(byGit.none)
    // with renames the answer says whether detection stopped at a limit; without, nothing
    const json = (q: string) => t.callJson('GET', `/projects/flags/diff?${range}&${q}`)
    expect((await json('renames=1')).body.renamesLimited).toBe(false)
    expect((await json('renames=0')).body).not.toHaveProperty('renamesLimited')
  })

  it('follow=1 follows a path as git log --follow does; follow=0 does not', async () => {
    const followed = gitFollow(g, c.next, 'moved/a.txt')
    expect(followed).toEqual([c.next, c.base])
    expect(await apiLog(t, 'flags', 'path=moved/a.txt&follow=1')).toEqual(followed)
    expect(await apiLog(t, 'flags', 'path=moved/a.txt&follow=0')).toEqual([c.next])
    const noPath = await t.callJson('GET', '/projects/flags/log?follow=1')
    expect(noPath.body.error.code).toBe('FOLLOW_NEEDS_PATH')
  })

  it('refuses any other value with 400 VALIDATION_FAILED on every route alike', async () => {
    for (const url of [
      '/projects/flags/log?path=a.txt&follow=yes',
      `/projects/flags/diff?from=${c.base}&renames=yes`,
      `/projects/flags/diff?from=${c.base}&copies=TRUE`,
      '/projects/flags/grep?pattern=a&regex=yes',
      '/projects/flags/grep?pattern=a&ignoreCase=2',
    ]) {
      const res = await t.callJson('GET', url)
      expect(res.status, url).toBe(400)
      expect(res.body.error.code, url).toBe('VALIDATION_FAILED')
    }
  })
})
