import { execFileSync } from 'node:child_process'
import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
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

const lines = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `${tag} line ${i} with some text to weigh it\n`).join('')
const edit = (text: string, every: number) =>
  text
    .split('\n')
    .map((l, i) => (i % every === 0 && l ? `${l} edited` : l))
    .join('\n')
const LATIN1_NAME = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74, 0x78, 0x74]) // café.txt in latin1

const inFixture = (name: Buffer) => Buffer.concat([Buffer.from(`${g.dir}/`), name])

function buildHistory() {
  g.write('keep/a.txt', lines(40, 'a'))
  g.write('keep/b.txt', lines(40, 'b'))
  g.write('far/c.txt', lines(40, 'c'))
  g.write('far/d.txt', lines(40, 'd'))
  g.write('dup/one.txt', 'same content\n')
  g.write('dup/two.txt', 'same content\n')
  g.write('dup/three.txt', 'same content\n')
  g.write('empty1', '')
  g.write('empty2', '')
  g.write('bin/blob.dat', Buffer.concat([Buffer.from([0, 1, 2, 3]), Buffer.from(lines(30, 'bin'))]))
  g.write('crlf.txt', lines(30, 'crlf').replaceAll('\n', '\r\n'))
  g.write('src/util.js', lines(30, 'util'))
  g.write('mode.sh', lines(20, 'mode'))
  g.symlink('link', 'keep/a.txt')
  writeFileSync(inFixture(LATIN1_NAME), lines(20, '\xe9t\xe9'), 'latin1')
  c.base = g.commit('base')

  // renames with small edits, a big edit (below 50%), moves between folders
  g.remove('keep/a.txt')
  g.write('renamed/a2.txt', edit(lines(40, 'a'), 5))
  g.remove('keep/b.txt')
  g.write('renamed/b2.txt', edit(lines(40, 'b'), 1))
  g.remove('far/c.txt')
  g.write('near/deeper/c.txt', edit(lines(40, 'c'), 3))
  g.remove('far/d.txt')
  g.write('near/d.txt', lines(40, 'd'))
  c.moves = g.commit('moves')

  // several identical files renamed at once, empty files renamed
  for (const n of ['one', 'two', 'three']) g.remove(`dup/${n}.txt`)
  g.write('copies/x.txt', 'same content\n')
  g.write('copies/two.txt', 'same content\n')
  g.write('copies/z.txt', 'same content\n')
  g.write('copies/w.txt', 'same content\n')
  g.remove('empty1')
  g.remove('empty2')
  g.write('e/empty2', '')
  g.write('e/other', '')
  c.identical = g.commit('identical')

  // binary, CRLF, non-UTF-8 name and content, mode change with rename, symlink rename
  g.remove('bin/blob.dat')
  g.write(
    'bin2/blob.dat',
    Buffer.concat([Buffer.from([0, 1, 2, 9]), Buffer.from(lines(30, 'bin'))]),
  )
  g.remove('crlf.txt')
  g.write('text/crlf.txt', edit(lines(30, 'crlf'), 4))
  renameSync(inFixture(LATIN1_NAME), inFixture(Buffer.from('moved-latin1.txt')))
  g.write('latin1-text.txt', lines(20, '\xe9t\xe9'))
  g.remove('mode.sh')
  g.write('tools/mode.sh', edit(lines(20, 'mode'), 6), { executable: true })
  g.remove('link')
  g.symlink('link2', 'keep/a.txt')
  c.kinds = g.commit('kinds')

  // copies: a modified source copied with edits, and a copy of an unchanged file
  g.write('src/util.js', edit(lines(30, 'util'), 7))
  g.write('src/util-copy.js', edit(lines(30, 'util'), 9))
  g.write('near/d-copy.txt', edit(lines(40, 'd'), 8))
  renameSync(inFixture(Buffer.from('latin1-text.txt')), inFixture(LATIN1_NAME))
  c.copies = g.commit('copies')

  // the followed file: renamed twice, edited between, and a merge on the way
  g.write('follow/start.txt', lines(50, 'follow'))
  c.f1 = g.commit('follow: create')
  g.write('follow/start.txt', edit(lines(50, 'follow'), 10))
  c.f2 = g.commit('follow: edit')
  g.git('mv', 'follow/start.txt', 'follow/middle.txt')
  c.f3 = g.commit('follow: rename')
  g.git('checkout', '-q', '-b', 'side')
  g.write('side.txt', 'side\n')
  g.write('follow/middle.txt', edit(lines(50, 'follow'), 4))
  c.f4 = g.commit('side edit')
  g.git('checkout', '-q', 'main')
  g.write('main.txt', 'main\n')
  c.f5 = g.commit('main edit')
  g.git('merge', '-q', '--no-ff', '-m', 'merge side', 'side')
  g.remove('follow/middle.txt')
  g.write('elsewhere/end.txt', edit(edit(lines(50, 'follow'), 4), 7))
  c.f6 = g.commit('follow: move and edit')
  g.write('elsewhere/end.txt', edit(edit(lines(50, 'follow'), 4), 3))
  c.f7 = g.commit('follow: edit again')
  g.write('elsewhere/copy-of-end.txt', edit(edit(lines(50, 'follow'), 4), 3) + 'more\n')
  c.f8 = g.commit('follow: a copy')
}

beforeAll(async () => {
  t = await createTestApp()
  g = new GitFixture()
  buildHistory()
  await loadFixture(t, 'ren', g)
})
afterAll(async () => {
  g?.cleanup()
  await t?.close()
})

const steps = [
  ['base', 'moves'],
  ['moves', 'identical'],
  ['identical', 'kinds'],
  ['kinds', 'copies'],
  ['base', 'kinds'],
  ['base', 'f8'],
  ['f3', 'f8'],
  ['f8', 'base'],
]

describe('GET /diff?renames=true', () => {
  it.each(steps)('equals git diff -M --name-status from %s to %s', async (from, to) => {
    const want = gitNameStatus(g, ['-M', c[from], c[to]])
    const got = await apiNameStatus(t, 'ren', `from=${c[from]}&to=${c[to]}&renames=true`)
    expect(got).toEqual(want)
  })

  it.each(steps)('with copies=true equals git diff -C from %s to %s', async (from, to) => {
    const want = gitNameStatus(g, ['-C', c[from], c[to]])
    const got = await apiNameStatus(t, 'ren', `from=${c[from]}&to=${c[to]}&copies=true`)
    expect(got).toEqual(want)
  })

  it('finds renames of every kind the history holds', async () => {
    const got = await apiNameStatus(t, 'ren', `from=${c.base}&to=${c.kinds}&renames=true`)
    expect(got.filter((l) => l.startsWith('R')).length).toBeGreaterThanOrEqual(10)
    expect(got.some((l) => l.startsWith('R100'))).toBe(true)
    expect(got.some((l) => /^R0[5-9]\d/.test(l))).toBe(true)
  })

  it('leaves renames out without renames=true', async () => {
    const got = await apiNameStatus(t, 'ren', `from=${c.base}&to=${c.moves}`)
    expect(got).toEqual(gitNameStatus(g, ['--no-renames', c.base, c.moves]))
  })

  it('limits detection to a path like git diff -M -- path', async () => {
    const want = gitNameStatus(g, ['-M', c.base, c.moves, '--', 'renamed'])
    const got = await apiNameStatus(
      t,
      'ren',
      `from=${c.base}&to=${c.moves}&renames=true&path=renamed`,
    )
    expect(got).toEqual(want)
  })
})

/** A patch with each binary patch's data left out: git writes deltas where gitpg writes literals. */
const withoutBinaryData = (patch: string) =>
  patch.replace(/GIT binary patch\n[\s\S]*?(?=\ndiff --git |$)/g, 'GIT binary patch\n')

async function patchOf(query: string): Promise<Buffer> {
  const res = await t.call('GET', `/projects/ren/diff?${query}&format=patch`)
  expect(res.status).toBe(200)
  return Buffer.from(await res.arrayBuffer())
}

describe('GET /diff?renames=true&format=patch', () => {
  it.each(steps)('equals git diff -M --binary from %s to %s', async (from, to) => {
    const got = await patchOf(`from=${c[from]}&to=${c[to]}&renames=true`)
    const want = gitBytes(g, ['diff', '-M', '--binary', c[from], c[to]])
    expect(withoutBinaryData(got.toString('latin1'))).toEqual(
      withoutBinaryData(want.toString('latin1')),
    )
  })

  it.each(steps)('with copies=true equals git diff -C --binary from %s to %s', async (from, to) => {
    const got = await patchOf(`from=${c[from]}&to=${c[to]}&copies=true`)
    const want = gitBytes(g, ['diff', '-C', '--binary', c[from], c[to]])
    expect(withoutBinaryData(got.toString('latin1'))).toEqual(
      withoutBinaryData(want.toString('latin1')),
    )
  })

  it.each([
    ['base', 'f8', 'renames'],
    ['f8', 'base', 'copies'],
  ])(
    'from %s to %s (%s) applies with git apply and gives the target tree',
    async (from, to, kind) => {
      const patch = await patchOf(`from=${c[from]}&to=${c[to]}&${kind}=true`)
      const index = { GIT_INDEX_FILE: join(g.dir, '.git', `apply-${kind}`) }
      const run = (args: string[], input?: Buffer) =>
        execFileSync('git', args, { cwd: g.dir, env: { ...process.env, ...index }, input })
      run(['read-tree', c[from]])
      run(['apply', '--cached', '--binary'], patch)
      const tree = run(['write-tree']).toString().trim()
      expect(tree).toBe(
        gitBytes(g, ['rev-parse', `${c[to]}^{tree}`])
          .toString()
          .trim(),
      )
    },
  )
})

describe('GET /log?follow=true', () => {
  const paths = [
    'elsewhere/end.txt',
    'elsewhere/copy-of-end.txt',
    'renamed/a2.txt',
    'near/deeper/c.txt',
    'copies/two.txt',
    'moved-latin1.txt',
    'src/util-copy.js',
    'text/crlf.txt',
    'near/d.txt',
  ]
  it.each(paths)('equals git log --follow -- %s, page by page', async (path) => {
    const want = gitFollow(g, 'main', path)
    const got = await apiLog(t, 'ren', `path=${encodeURIComponent(path)}&follow=true`)
    expect(got).toEqual(want)
  })

  it('follows across two renames', async () => {
    const got = await apiLog(t, 'ren', 'path=elsewhere/end.txt&follow=true')
    expect(got).toContain(c.f1)
    expect(got).toContain(c.f3)
  })

  it('refuses follow=true without a path', async () => {
    const res = await t.callJson('GET', '/projects/ren/log?follow=true')
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('FOLLOW_NEEDS_PATH')
  })
})
