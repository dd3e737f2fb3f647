import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type GitpgClient } from '../src/index.ts'
import { thrown } from './support/thrown.ts'
import { cloneStrict, git, gitOutput, lines } from '../../../test/support/git-cli.ts'
import { startTestStack, type TestStack } from '../../../test/support/test-stack.ts'
import { startGitHttpServer, type TestHttpServer } from '../../sync/test/support/git-http-server.ts'
import { RemoteRepo } from '../../sync/test/support/remote-repo.ts'

const KEY = 'client-history-key-0123456789'
const TOKEN = 'remote-token'
const AUTHOR = { name: 'Ada', email: 'ada@example.com' }
let stack: TestStack
let remotes: TestHttpServer
let client: GitpgClient
let dir: string
let clones = 0

const clone = (project: string, args: string[] = []) =>
  cloneStrict({ url: stack.remote(project), dir: join(stack.tmp, `clone-${clones++}`), args })

beforeAll(async () => {
  stack = await startTestStack({ name: 'client-history', apiKey: KEY })
  remotes = await startGitHttpServer({ root: join(stack.tmp, 'remotes'), token: TOKEN })
  client = createClient({ baseUrl: stack.server.url, apiKey: KEY })
  await client.projects.create('hist')
  const edits: [string, string][] = [
    ['README.md', '# hist\n'],
    ['src/a.ts', 'export const a = 1\n'],
    ['src/b.ts', 'export const b = 2\n// hello\n'],
    ['README.md', '# hist\n\nhello world\n'],
    ['src/a.ts', 'export const a = 10\n// hello again\n'],
  ]
  for (const [path, content] of edits)
    await client.files.write({ project: 'hist', path, content, message: `edit ${path}` })
  await client.files.delete({ project: 'hist', path: 'src/b.ts', message: 'drop b' })
  dir = await clone('hist')
})
afterAll(async () => {
  await remotes?.close()
  await stack?.close()
})

describe('history methods agree with git', () => {
  it('log and logAll', async () => {
    const all = lines(await gitOutput(dir, ['log', '--format=%H']))
    const page = await client.log({ project: 'hist' })
    expect(page.commits.map((c) => c.oid)).toEqual(all)
    expect(page.next).toBeNull()
    const paged: string[] = []
    for await (const commit of client.logAll({ project: 'hist', limit: 2 })) paged.push(commit.oid)
    expect(paged).toEqual(all)
    const readme = await client.log({ project: 'hist', path: 'README.md' })
    expect(readme.commits.map((c) => c.oid)).toEqual(
      lines(await gitOutput(dir, ['log', '--format=%H', '--', 'README.md'])),
    )
  })

  it('commits.get', async () => {
    const head = (await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()
    const commit = await client.commits.get({ project: 'hist', oid: head })
    expect(commit.oid).toBe(head)
    expect(commit.message).toBe('drop b\n')
    expect(commit.changes.map((c) => `${c.status}\t${c.path}`)).toEqual(
      lines(await gitOutput(dir, ['diff', '--name-status', 'HEAD~1', 'HEAD'])),
    )
  })

  it('diff and patch', async () => {
    const from = (await gitOutput(dir, ['rev-parse', 'HEAD~4'])).trim()
    const diff = await client.diff({ project: 'hist', from, to: 'main' })
    expect(diff.changes.map((c) => `${c.status}\t${c.path}`)).toEqual(
      lines(await gitOutput(dir, ['diff', '--name-status', '--no-renames', 'HEAD~4', 'HEAD'])),
    )
    const onlySrc = await client.diff({ project: 'hist', from, path: 'src' })
    expect(onlySrc.changes.map((c) => c.path)).toEqual(
      lines(await gitOutput(dir, ['diff', '--name-only', from, 'HEAD', '--', 'src'])),
    )
    expect(onlySrc.changes).toHaveLength(1)
    const patch = await client.patch({ project: 'hist', from, to: 'main' })
    expect(patch).toBe(await gitOutput(dir, ['diff', '--no-renames', 'HEAD~4', 'HEAD']))
  })

  it('branches: create, list, clone, delete', async () => {
    const head = (await gitOutput(dir, ['rev-parse', 'HEAD~2'])).trim()
    const created = await client.branches.create({ project: 'hist', name: 'feature/x', from: head })
    expect(created).toEqual({ name: 'feature/x', oid: head, default: false })
    const { branches } = await client.branches.list({ project: 'hist' })
    expect(branches.map((b) => [b.name, b.default])).toEqual([
      ['feature/x', false],
      ['main', true],
    ])
    const feature = await clone('hist', ['-b', 'feature/x'])
    expect((await gitOutput(feature, ['rev-parse', 'HEAD'])).trim()).toBe(head)
    const exists = await thrown(client.branches.create({ project: 'hist', name: 'feature/x' }))
    expect([exists.code, exists.status]).toEqual(['BRANCH_EXISTS', 409])
    await client.branches.delete({ project: 'hist', name: 'feature/x' })
    const again = await client.branches.list({ project: 'hist' })
    expect(again.branches.map((b) => b.name)).toEqual(['main'])
  })

  it('projects.exportBundle streams a bundle git clones', async () => {
    const bundle = join(stack.tmp, 'hist.bundle')
    const body = await client.projects.exportBundle('hist')
    await pipeline(Readable.fromWeb(body as NodeReadableStream), createWriteStream(bundle))
    await git(dir, ['bundle', 'verify', '-q', bundle])
    const fromBundle = join(stack.tmp, 'from-bundle')
    await git(stack.tmp, ['clone', '-q', bundle, fromBundle])
    expect(await gitOutput(fromBundle, ['log', '--format=%H'])).toBe(
      await gitOutput(dir, ['log', '--format=%H']),
    )
  })
})

describe('sync methods against a git remote', () => {
  it('import, pull and push', async () => {
    const remote = new RemoteRepo(join(stack.tmp, 'remotes'), 'up')
    remote.commit({ 'one.txt': '1\n' }, 'first')
    const url = `${remotes.url}/up.git`
    const imported = await client.projects.import('up', { url, token: TOKEN })
    expect(imported).toMatchObject({ created: true, head: remote.head() })
    expect((await client.projects.get('up')).remote).toEqual({ url, branch: 'main' })

    remote.commit({ 'two.txt': '2\n' }, 'second')
    await client.pending.save({ project: 'up', userId: 'ada', path: 'two.txt', content: 'mine' })
    const pulled = await client.pull({ project: 'up', token: TOKEN })
    expect(pulled).toMatchObject({
      to: remote.head(),
      changedPaths: ['two.txt'],
      conflicts: [{ path: 'two.txt', users: ['ada'] }],
    })

    await client.pending.save({ project: 'up', userId: 'ada', path: 'three.txt', content: '3\n' })
    await client.commits.create({
      project: 'up',
      userId: 'ada',
      message: 'three',
      author: AUTHOR,
      paths: ['three.txt'],
    })
    const pushed = await client.push({ project: 'up', token: TOKEN })
    expect(pushed).toMatchObject({ pushed: true, remoteBranch: 'main' })
    expect(remote.head()).toBe(pushed.to)

    remote.commit({ 'four.txt': '4\n' }, 'fourth')
    await client.files.write({ project: 'up', path: 'five.txt', content: '5\n' })
    const refused = await thrown(client.push({ project: 'up', token: TOKEN }))
    expect([refused.code, refused.status]).toEqual(['NON_FAST_FORWARD', 409])
  })
})
