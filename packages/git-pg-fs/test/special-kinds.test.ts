import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { specialKinds } from '../src/fsck/special-kinds.ts'
import { makeObject, type GitObject } from '../src/objects/git-object.ts'

/** A `.gitmodules` git refuses, one per name, so git's verdict on each name can be told apart. */
const bad = (name: string) =>
  makeObject('blob', Buffer.from(`; ${name}\n[submodule "x"]\n\turl = --upload-pack=touch x\n`))
const tree = (name: string): GitObject =>
  makeObject(
    'tree',
    Buffer.concat([Buffer.from(`100644 ${name}\0`), Buffer.from(bad(name).oid, 'hex')]),
  )

/** Names git's fsck reads as `.gitmodules`, so it checks the blob they name. */
const GITMODULES = [
  '.gitmodules',
  '.GITMODULES',
  'gitmod~1',
  '.gitmodules ',
  'a\\.gitmodules',
  'a\\.GITMODULES',
  'a\\gitmod~1',
  'a\\b\\.gitmodules',
]
/** Names it does not. */
const PLAIN = ['gitmodules', 'a.gitmodules', 'a\\gitmodules', 'a\\.gitmodulesx', 'a\\']

let dir = ''
let fsck = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitpg-special-'))
  execFileSync('git', ['init', '-q', '--bare', dir])
  const store = (o: GitObject) =>
    spawnSync('git', ['hash-object', '--literally', '-w', '-t', o.type, '--stdin'], {
      cwd: dir,
      input: o.content,
    })
  for (const name of [...GITMODULES, ...PLAIN]) {
    store(bad(name))
    store(tree(name))
  }
  fsck = spawnSync('git', ['fsck', '--strict', '--no-dangling', '--no-progress'], {
    cwd: dir,
    encoding: 'utf8',
  }).stderr
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('specialKinds', () => {
  it('finds .gitmodules where git fsck does, also after a backslash', () => {
    for (const name of GITMODULES) {
      expect(fsck, name).toMatch(new RegExp(`${bad(name).oid}: gitmodulesUrl`))
      expect(specialKinds(Buffer.from(name)).gitmodules, name).toBe(true)
    }
    for (const name of PLAIN) {
      expect(fsck, name).not.toContain(bad(name).oid)
      expect(specialKinds(Buffer.from(name)).gitmodules, name).toBe(false)
    }
  })

  it('finds .git after a backslash, but .gitattributes only as the whole name', () => {
    expect(specialKinds(Buffer.from('a\\.git')).dotgit).toBe(true)
    expect(specialKinds(Buffer.from('.gitattributes')).gitattributes).toBe(true)
    expect(specialKinds(Buffer.from('a\\.gitattributes')).gitattributes).toBe(false)
    expect(specialKinds(Buffer.from('readme')).gitmodules).toBe(false)
  })
})
