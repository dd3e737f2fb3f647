import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeObject, writePack, type PostgresStore, type GitObject } from '@gitpg/git-pg-fs'
import type { RunningServer } from '@gitpg/server'
import { git } from './support/git-cli.ts'
import { fsckStrict } from './support/export-objects.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'
import { rawPush } from './support/raw-push.ts'
import { craftCommit, craftTree, writeCraftedRepo } from './support/crafted-repo.ts'

const KEY = 'fsck-push-test-key'
const ZERO = '0'.repeat(40)
let stack: TestStack
let tmp: string
let server: RunningServer
let store: PostgresStore

const remote = (project: string) => stack.remote(project)

async function createProject(project: string) {
  expect((await stack.api('PUT', `/projects/${project}`, {})).status).toBe(201)
}

/** What a refused push must leave alone: the project's refs and objects. */
async function snapshot(project: string) {
  const repo = (await store.getRepo(project))!
  return { refs: await store.listRefs(repo.repoId), objects: await store.countObjects(repo.repoId) }
}

/** A raw push of `pack` to `refs/heads/main`; the report-status lines. */
const push = async (project: string, head: string, pack: Buffer, old = ZERO) =>
  (
    await rawPush({
      server,
      apiKey: KEY,
      project,
      commands: [`${old} ${head} refs/heads/main`],
      pack,
    })
  ).report

beforeAll(async () => {
  stack = await startTestStack({ name: 'fsck-push', apiKey: KEY })
  ;({ tmp, server, store } = stack)
})

afterAll(() => stack?.close())

const blob = makeObject('blob', Buffer.from('hello\n'))
const inner = craftTree([{ mode: '100644', name: 'config', oid: blob.oid }])
const tree = (...entries: Parameters<typeof craftTree>[0]) => craftTree(entries)

/** A commit of `root` with everything it needs. */
function commitOf(root: GitObject, extra: GitObject[] = [], date?: string) {
  const commit = craftCommit({ tree: root.oid, date })
  return { head: commit.oid, objects: [blob, inner, ...extra, root, commit] }
}

const gitmodules = makeObject('blob', Buffer.from('[submodule "x"]\n\turl = --upload-pack=id\n'))

const HOSTILE: [string, ReturnType<typeof commitOf>, string][] = [
  [
    'a .git directory',
    commitOf(tree({ mode: '40000', name: '.git', oid: inner.oid })),
    'hasDotgit',
  ],
  [
    'a .git directory NTFS reads',
    commitOf(tree({ mode: '40000', name: 'GIT~1', oid: inner.oid })),
    'hasDotgit',
  ],
  [
    'a .git directory HFS+ reads',
    commitOf(tree({ mode: '40000', name: '.gi\u200ct', oid: inner.oid })),
    'hasDotgit',
  ],
  ['a .. directory', commitOf(tree({ mode: '40000', name: '..', oid: inner.oid })), 'hasDotdot'],
  [
    'a ../../escape.txt file',
    commitOf(tree({ mode: '100644', name: '../../escape.txt', oid: blob.oid })),
    'fullPathname',
  ],
  [
    'a .gitmodules with an --upload-pack url',
    commitOf(tree({ mode: '100644', name: '.gitmodules', oid: gitmodules.oid }), [gitmodules]),
    'gitmodulesUrl',
  ],
  [
    'a date that overflows',
    commitOf(tree({ mode: '100644', name: 'a.txt', oid: blob.oid }), [], '99999999999999999999'),
    'badDateOverflow',
  ],
]

describe('push of objects git fsck refuses', () => {
  it.each(HOSTILE)('refuses %s, as git fsck --strict does', async (label, crafted, id) => {
    const project = `p${HOSTILE.findIndex(([l]) => l === label)}`
    await createProject(project)
    const dir = join(tmp, project)
    await writeCraftedRepo(dir, crafted.objects, crafted.head)
    await expect(fsckStrict(dir)).rejects.toThrow(new RegExp(`${id}`))

    const before = await snapshot(project)
    const pushed = await git(dir, ['push', remote(project), 'main']).then(
      () => '',
      (err: Error) => err.message,
    )
    expect(pushed).toMatch(new RegExp(`remote unpack failed: object [0-9a-f]{40}: ${id}: `))
    expect(pushed).not.toMatch(/bigint|out of range|RangeError|postgres/i)
    expect(await snapshot(project)).toEqual(before)
  })
})

describe('push of a .gitmodules blob', () => {
  const root = tree({ mode: '100644', name: '.gitmodules', oid: gitmodules.oid })
  const commit = craftCommit({ tree: root.oid })

  // more objects than one write batch of a push holds, so tree and blob are stored apart
  const filler = Array.from({ length: 2100 }, (_, i) => makeObject('blob', Buffer.from(`${i}\n`)))

  it.each([
    ['after its tree', [root, commit, gitmodules]],
    ['before its tree', [gitmodules, root, commit]],
    ['after its tree, batches later', [root, commit, ...filler, gitmodules]],
    ['before its tree, batches earlier', [gitmodules, ...filler, root, commit]],
  ])('is checked when it comes %s', async (order, objects) => {
    const project = `gitmodules-${order.replace(/[^a-z]+/g, '-')}`
    await createProject(project)
    const before = await snapshot(project)
    const report = await push(project, commit.oid, await writePack(objects))
    expect(report).toEqual([
      `unpack object ${gitmodules.oid}: gitmodulesUrl: disallowed submodule url: --upload-pack=id`,
      'ng refs/heads/main unpacker error',
    ])
    expect(await snapshot(project)).toEqual(before)
  })

  it('is checked when it is stored already and a new tree names it .gitmodules', async () => {
    const project = 'gitmodules-stored'
    await createProject(project)
    const first = tree({ mode: '100644', name: 'notes.txt', oid: gitmodules.oid })
    const one = craftCommit({ tree: first.oid })
    expect(await push(project, one.oid, await writePack([gitmodules, first, one]))).toEqual([
      'unpack ok',
      'ok refs/heads/main',
    ])
    const before = await snapshot(project)
    const two = craftCommit({ tree: root.oid, parents: [one.oid] })
    const report = await push(project, two.oid, await writePack([root, two]), one.oid)
    expect(report[0]).toBe(
      `unpack object ${gitmodules.oid}: gitmodulesUrl: disallowed submodule url: --upload-pack=id`,
    )
    expect(await snapshot(project)).toEqual(before)
  })
})

describe('push of unusual names git accepts', () => {
  it('is accepted, and a clone passes git fsck --strict', async () => {
    const project = 'unusual'
    await createProject(project)
    const names = ['.github', '.gitignore', 'a..b', 'caf\u00e9.txt', 'git~2']
    const root = tree(
      ...names
        .map((name) => ({ mode: '100644', name, oid: blob.oid }))
        .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name))),
    )
    const commit = craftCommit({ tree: root.oid })
    const dir = join(tmp, project)
    await writeCraftedRepo(dir, [blob, root, commit], commit.oid)
    await fsckStrict(dir)
    await git(dir, ['push', remote(project), 'main'])
    const clone = join(tmp, `${project}-clone`)
    await git(tmp, ['clone', '-q', '--bare', remote(project), clone])
    await fsckStrict(clone)
  })
})
