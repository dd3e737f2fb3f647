import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BadObjectError, makeObject, type PostgresStore } from '@gitpg/git-pg-fs'
import { importProject, pullProject } from '../src/index.ts'
import type { TestHttpServer } from './support/git-http-server.ts'
import { snapshot } from './support/sync-db.ts'
import { startSyncStack, type SyncStack } from './support/sync-stack.ts'
import { craftCommit, craftTree, writeCraftedRepo } from '../../../test/support/crafted-repo.ts'
import { git } from '../../../test/support/git-cli.ts'

let stack: SyncStack
let root: string
let server: TestHttpServer
let store: PostgresStore

beforeAll(async () => {
  stack = await startSyncStack({ name: 'fsck-import' })
  ;({ root, remotes: server, store } = stack)
})

afterAll(() => stack?.close())

const blob = makeObject('blob', Buffer.from('hello\n'))
const good = craftTree([{ mode: '100644', name: 'a.txt', oid: blob.oid }])
const goodCommit = craftCommit({ tree: good.oid })
const dotgit = craftTree([
  { mode: '100644', name: 'a.txt', oid: blob.oid },
  { mode: '40000', name: '.git', oid: good.oid },
])
const gitmodules = makeObject('blob', Buffer.from('[submodule "../../escape"]\n\turl = ./x\n'))
const withGitmodules = craftTree([
  { mode: '100644', name: '.gitmodules', oid: gitmodules.oid },
  { mode: '100644', name: 'a.txt', oid: blob.oid },
])

/** Expects `promise` to fail as gitpg refuses an object git's fsck refuses. */
async function expectRefused(promise: Promise<unknown>, id: string) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(BadObjectError)
  expect((err as BadObjectError).code).toBe('BAD_OBJECT')
  expect((err as BadObjectError).message).toMatch(new RegExp(`^object [0-9a-f]{40}: ${id}: `))
}

describe('import and pull of objects git fsck refuses', () => {
  it.each([
    ['a .git directory', dotgit, [dotgit, good, blob], 'hasDotgit'],
    [
      'a .gitmodules naming ../',
      withGitmodules,
      [withGitmodules, gitmodules, blob],
      'gitmodulesName',
    ],
  ])('an import of %s is refused and creates nothing', async (label, tree, objects, id) => {
    const name = `bad-${label.replace(/\W+/g, '-')}`
    const commit = craftCommit({ tree: tree.oid })
    await writeCraftedRepo(join(root, `${name}.git`), [...objects, commit], commit.oid)
    const url = `${server.url}/${name}.git`
    await expectRefused(importProject({ store, name, url }), id)
    expect(await snapshot(store, name)).toBeNull()
  })

  it('a pull bringing a .git directory is refused and changes nothing', async () => {
    const name = 'pulled'
    const dir = join(root, `${name}.git`)
    await writeCraftedRepo(dir, [blob, good, goodCommit, dotgit], goodCommit.oid)
    await importProject({ store, name, url: `${server.url}/${name}.git` })
    const before = await snapshot(store, name)
    const next = craftCommit({ tree: dotgit.oid, parents: [goodCommit.oid] })
    await git(dir, ['hash-object', '--literally', '-w', '-t', 'commit', '--stdin'], {
      input: next.content,
    })
    await git(dir, ['update-ref', 'refs/heads/main', next.oid])
    await expectRefused(pullProject({ store, name }), 'hasDotgit')
    expect(await snapshot(store, name)).toEqual(before)
  })
})
