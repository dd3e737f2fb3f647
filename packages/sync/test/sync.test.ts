import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Repository, type GitPgError, type PostgresStore } from '@gitpg/git-pg-fs'
import {
  SmartHttpRemote,
  SyncError,
  importProject,
  pullProject,
  pushProject,
  type ConnectRemote,
} from '../src/index.ts'
import { closedPort, startCuttingProxy, type TestHttpServer } from './support/git-http-server.ts'
import { startFakeGitHub } from './support/fake-github.ts'
import { RemoteRepo } from './support/remote-repo.ts'
import { snapshot } from './support/sync-db.ts'
import { startSyncStack, type SyncStack } from './support/sync-stack.ts'

const TOKEN = 'good-token'
const author = { name: 'Local Author', email: 'local@example.com', timestamp: 1_800_000_000 }

let stack: SyncStack
let root: string
let server: TestHttpServer
let store: PostgresStore
let counter = 0

beforeAll(async () => {
  stack = await startSyncStack({
    name: 'sync',
    token: TOKEN,
    renamed: { '/old-name.git': '/remote-renamed.git' },
  })
  ;({ root, remotes: server, store } = stack)
})

afterAll(() => stack?.close())

/** A fresh remote with three commits on main. */
function makeRemote(files: Record<string, string | Buffer> = {}) {
  const name = `remote-${++counter}`
  const remote = new RemoteRepo(root, name)
  remote.commit({ 'README.md': '# hello\n', 'src/a.txt': 'a\n', ...files }, 'first')
  remote.commit({ 'src/b.txt': 'b\n' }, 'second')
  remote.commit({ 'src/a.txt': 'a2\n', 'docs/guide.md': 'guide\n' }, 'third')
  return { remote, url: `${server.url}/${name}.git`, project: `p-${name}` }
}

async function gitpgLog(project: string, ref = 'main'): Promise<string[]> {
  const repo = await Repository.open({ store, name: project })
  return (await repo.log({ ref, limit: 10_000 })).commits.map((c) => c.oid)
}

async function expectSyncError(promise: Promise<unknown>, code: string): Promise<SyncError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SyncError)
  expect((err as SyncError).code).toBe(code)
  return err as SyncError
}

function fsckStrict(dir: string) {
  execFileSync('git', ['fsck', '--strict', '--no-dangling'], { cwd: dir, stdio: 'pipe' })
}

describe('importProject', () => {
  it('imports the full history of the default branch; the log equals git log', async () => {
    const { remote, url, project } = makeRemote()
    remote.git('tag', '-a', 'v1', '-m', 'release', remote.revList()[1])
    const progress: string[] = []
    const result = await importProject({
      store,
      name: project,
      url,
      token: TOKEN,
      onProgress: (p) => progress.push(p.phase),
    })
    expect(result).toMatchObject({
      created: true,
      branch: 'main',
      head: remote.head(),
      shallow: false,
    })
    expect(result.tags).toEqual(['v1'])
    expect(await gitpgLog(project)).toEqual(remote.revList())
    const record = await store.getRepo(project)
    expect(record?.defaultBranch).toBe('main')
    expect(record?.remote).toEqual({ url, branch: 'main' })
    const tag = await store.readRef(record!.repoId, 'refs/tags/v1')
    expect(tag?.oid).toBe(remote.git('rev-parse', 'v1').trim())
    expect(progress).toContain('receiving')
    expect(progress.at(-1)).toBe('done')
  })

  it('imports with depth 1: one commit, recorded as shallow, same as git clone --depth 1', async () => {
    const { remote, url, project } = makeRemote()
    const result = await importProject({ store, name: project, url, token: TOKEN, depth: 1 })
    expect(result.shallow).toBe(true)
    const clone = join(root, `${project}-clone`)
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${remote.bare}`, clone])
    const cloneLog = execFileSync('git', ['rev-list', 'HEAD'], { cwd: clone })
      .toString()
      .split('\n')
      .filter(Boolean)
    expect(await gitpgLog(project)).toEqual(cloneLog)
    const repoId = (await store.getRepo(project))!.repoId
    expect((await store.readFile(repoId, 'shallow'))?.content.toString()).toBe(`${remote.head()}\n`)
    const repo = await Repository.open({ store, name: project })
    expect((await repo.readFile({ path: 'src/a.txt' })).content.toString()).toBe('a2\n')
  })

  it('imports one named branch, or all branches on request', async () => {
    const { remote, url, project } = makeRemote()
    const feature = remote.commit({ 'feature.txt': 'f\n' }, 'feature work', 'feature')
    const one = await importProject({ store, name: project, url, token: TOKEN, branch: 'feature' })
    expect(one).toMatchObject({ branch: 'feature', head: feature })
    expect((await store.getRepo(project))?.defaultBranch).toBe('feature')
    const all = await importProject({
      store,
      name: `${project}-all`,
      url,
      token: TOKEN,
      allBranches: true,
    })
    expect(all.branches.map((b) => b.name).sort()).toEqual(['feature', 'main'])
    expect(await gitpgLog(`${project}-all`, 'feature')).toEqual(remote.revList('feature'))
    expect(await gitpgLog(`${project}-all`, 'main')).toEqual(remote.revList('main'))
  })

  it('speaks protocol v2 by default and v1 when asked', async () => {
    const { remote, url, project } = makeRemote()
    const before = server.requests.length
    await importProject({ store, name: project, url, token: TOKEN })
    const v2 = server.requests.slice(before)
    expect(v2.filter((r) => r.startsWith('POST') && r.endsWith('/git-upload-pack'))).toHaveLength(2)
    const v1: ConnectRemote = ({ url, credentials }) =>
      new SmartHttpRemote({ url, credentials, protocol: 1 })
    const mark = server.requests.length
    await importProject({ store, name: `${project}-v1`, url, token: TOKEN, connect: v1 })
    const v1Requests = server.requests.slice(mark)
    expect(v1Requests.filter((r) => r.startsWith('POST'))).toHaveLength(1)
    expect(await gitpgLog(`${project}-v1`)).toEqual(remote.revList())
  })

  it('rejects a bad URL, an unreachable host and a bad token, and creates nothing', async () => {
    await expectSyncError(
      importProject({ store, name: 'bad-url', url: 'git@github.com:o/r.git' }),
      'BAD_REMOTE_URL',
    )
    await expectSyncError(
      importProject({ store, name: 'bad-url', url: 'ftp://example.com/r.git' }),
      'BAD_REMOTE_URL',
    )
    const port = await closedPort()
    await expectSyncError(
      importProject({ store, name: 'bad-url', url: `http://127.0.0.1:${port}/r.git` }),
      'REMOTE_UNREACHABLE',
    )
    const { url } = makeRemote()
    await expectSyncError(
      importProject({ store, name: 'bad-url', url, token: 'wrong' }),
      'AUTH_FAILED',
    )
    await expectSyncError(importProject({ store, name: 'bad-url', url }), 'AUTH_FAILED')
    await expectSyncError(
      importProject({ store, name: 'bad-url', url: `${server.url}/missing.git`, token: TOKEN }),
      'REMOTE_NOT_FOUND',
    )
    expect(await store.getRepo('bad-url')).toBeNull()
  })

  it('follows a renamed repository: discovery redirects, requests go to the new address', async () => {
    const remote = new RemoteRepo(root, 'remote-renamed')
    remote.commit({ 'a.txt': 'a\n' }, 'one')
    await importProject({ store, name: 'renamed', url: `${server.url}/old-name.git`, token: TOKEN })
    expect(await gitpgLog('renamed')).toEqual(remote.revList())
    expect((await store.getRepo('renamed'))?.remote?.url).toBe(`${server.url}/remote-renamed.git`)
    expect(server.requests.filter((r) => r.includes('old-name'))).toEqual([
      'GET /old-name.git/info/refs?service=git-upload-pack',
    ])
  })

  it('takes a token from the URL and never records it', async () => {
    const { remote, url, project } = makeRemote()
    const withToken = url.replace('http://', `http://x-access-token:${TOKEN}@`)
    await importProject({ store, name: project, url: withToken })
    expect((await store.getRepo(project))?.remote).toEqual({ url, branch: 'main' })
    expect(await gitpgLog(project)).toEqual(remote.revList())
  })

  it("prefers the URL's token to the default token, and an explicit token to both", async () => {
    const { remote, url, project } = makeRemote()
    const withToken = url.replace('http://', `http://x-access-token:${TOKEN}@`)
    await importProject({ store, name: project, url: withToken, defaultToken: 'wrong-default' })
    expect(await gitpgLog(project)).toEqual(remote.revList())
    const bad = url.replace('http://', 'http://x-access-token:wrong-in-url@')
    await importProject({ store, name: `${project}-2`, url: bad, token: TOKEN })
    expect(await gitpgLog(`${project}-2`)).toEqual(remote.revList())
    await expectSyncError(
      importProject({ store, name: `${project}-3`, url: bad, defaultToken: TOKEN }),
      'AUTH_FAILED',
    )
  })

  for (const mode of ['destroy', 'end'] as const) {
    it(`fails with REMOTE_PROTOCOL_ERROR when the server cuts the pack (${mode}) and changes nothing`, async () => {
      const { remote, url, project } = makeRemote({ 'big.bin': randomBytes(300_000) })
      const proxy = await startCuttingProxy({ target: server.url, afterBytes: 40_000, mode })
      try {
        const cutUrl = url.replace(server.url, proxy.url)
        await expectSyncError(
          importProject({ store, name: project, url: cutUrl, token: TOKEN }),
          'REMOTE_PROTOCOL_ERROR',
        )
        expect(await store.getRepo(project)).toBeNull()
        // an existing project: a pull that breaks off leaves it as it was
        await importProject({ store, name: project, url, token: TOKEN })
        remote.commit({ 'big2.bin': randomBytes(300_000) }, 'more')
        await store.updateRepo((await store.getRepo(project))!.repoId, {
          remote: { url: cutUrl, branch: 'main' },
        })
        const before = await snapshot(store, project)
        await expectSyncError(
          pullProject({ store, name: project, token: TOKEN }),
          'REMOTE_PROTOCOL_ERROR',
        )
        expect(await snapshot(store, project)).toEqual(before)
      } finally {
        await proxy.close()
      }
    })
  }
})

describe('object size limit', () => {
  it('fails an import or a pull that brings an object over the limit, and changes nothing', async () => {
    const { remote, url, project } = makeRemote({ 'big.bin': randomBytes(300_000) })
    const tooLarge = await importProject({
      store,
      name: project,
      url,
      token: TOKEN,
      maxObjectSize: 200_000,
    }).then(
      () => null,
      (e: unknown) => e,
    )
    expect((tooLarge as GitPgError).code).toBe('OBJECT_TOO_LARGE')
    expect(await store.getRepo(project)).toBeNull()
    await importProject({ store, name: project, url, token: TOKEN, maxObjectSize: 400_000 })
    remote.commit({ 'bigger.bin': randomBytes(500_000) }, 'bigger')
    const before = await snapshot(store, project)
    const pulled = await pullProject({
      store,
      name: project,
      token: TOKEN,
      maxObjectSize: 400_000,
    }).then(
      () => null,
      (e: unknown) => e,
    )
    expect((pulled as GitPgError).code).toBe('OBJECT_TOO_LARGE')
    expect(await snapshot(store, project)).toEqual(before)
  })
})

describe('pullProject', () => {
  it('fast-forwards to new remote commits; the log equals git log', async () => {
    const { remote, url, project } = makeRemote()
    await importProject({ store, name: project, url, token: TOKEN })
    const from = remote.head()
    remote.commit({ 'src/a.txt': 'a3\n', 'new.txt': 'new\n' }, 'fourth')
    remote.commit({ 'README.md': null }, 'fifth')
    const seen: { repoId: number; paths: readonly string[] }[] = []
    const result = await pullProject({
      store,
      name: project,
      token: TOKEN,
      findPending: async (input) => {
        seen.push(input)
        return [
          { path: 'src/a.txt', userId: 'bob' },
          { path: 'src/a.txt', userId: 'ada' },
        ]
      },
    })
    expect(result).toMatchObject({ branch: 'main', from, to: remote.head(), upToDate: false })
    expect(result.changedPaths).toEqual(['README.md', 'new.txt', 'src/a.txt'])
    expect(seen[0].paths).toEqual(result.changedPaths)
    expect(result.conflicts).toEqual([{ path: 'src/a.txt', users: ['ada', 'bob'] }])
    expect(await gitpgLog(project)).toEqual(remote.revList())
    const again = await pullProject({ store, name: project, token: TOKEN })
    expect(again).toMatchObject({
      upToDate: true,
      from: remote.head(),
      to: remote.head(),
      changedPaths: [],
    })
  })

  it('pulls into a shallow project', async () => {
    const { remote, url, project } = makeRemote()
    await importProject({ store, name: project, url, token: TOKEN, depth: 1 })
    const tip = remote.head()
    remote.commit({ 'later.txt': 'later\n' }, 'later')
    const result = await pullProject({ store, name: project, token: TOKEN })
    expect(result).toMatchObject({ from: tip, to: remote.head(), changedPaths: ['later.txt'] })
    expect(await gitpgLog(project)).toEqual(remote.revList().slice(0, 2))
    const repo = await Repository.open({ store, name: project })
    expect((await repo.readFile({ path: 'later.txt' })).content.toString()).toBe('later\n')
  })

  it('reports DIVERGED when both sides have new commits, and changes nothing', async () => {
    const { remote, url, project } = makeRemote()
    await importProject({ store, name: project, url, token: TOKEN })
    const repo = await Repository.open({ store, name: project })
    await repo.commit({
      branch: 'main',
      changes: [{ path: 'local.txt', action: 'write', content: Buffer.from('mine\n') }],
      message: 'local',
      author,
    })
    remote.commit({ 'remote.txt': 'theirs\n' }, 'remote')
    const before = await snapshot(store, project)
    await expectSyncError(pullProject({ store, name: project, token: TOKEN }), 'DIVERGED')
    expect(await snapshot(store, project)).toEqual(before)
  })

  it('merges diverged branches on request, as git merge does', async () => {
    const { remote, url, project } = makeRemote()
    await importProject({ store, name: project, url, token: TOKEN })
    const base = remote.head()
    const repo = await Repository.open({ store, name: project })
    const local = await repo.commit({
      branch: 'main',
      changes: [
        { path: 'local.txt', action: 'write', content: Buffer.from('mine\n') },
        { path: 'src/b.txt', action: 'write', content: Buffer.from('b local\n') },
        { path: 'docs/guide.md', action: 'delete' },
      ],
      message: 'local',
      author,
    })
    const theirs = remote.commit(
      { 'remote.txt': 'theirs\n', 'src/a.txt': 'a remote\n', 'lib/deep/x.txt': 'x\n' },
      'remote',
    )
    const result = await pullProject({
      store,
      name: project,
      token: TOKEN,
      merge: true,
      author: { name: 'Merger', email: 'merge@example.com' },
    })
    expect(result).toMatchObject({ from: local.oid, merged: true, upToDate: false })
    expect(result.changedPaths).toEqual(['lib/deep/x.txt', 'remote.txt', 'src/a.txt'])
    const merge = await repo.readCommit(result.to!)
    expect(merge.parents).toEqual([local.oid, theirs])
    expect(merge.author).toMatchObject({ name: 'Merger', email: 'merge@example.com' })
    // git merges the same two commits into the same tree
    remote.workGit('fetch', '-q', 'origin')
    remote.workGit('checkout', '-q', '-B', 'check', base)
    remote.workGit('rm', '-q', 'docs/guide.md')
    writeFileSync(join(remote.work, 'local.txt'), 'mine\n')
    writeFileSync(join(remote.work, 'src/b.txt'), 'b local\n')
    remote.workGit('add', '-A')
    remote.workGit('commit', '-q', '-m', 'local')
    remote.workGit('merge', '-q', '--no-edit', theirs)
    expect(merge.tree).toBe(remote.workGit('rev-parse', 'HEAD^{tree}').trim())
    // and the merge pushes cleanly
    await pushProject({ store, name: project, token: TOKEN })
    expect(remote.revList()).toEqual(await gitpgLog(project))
    fsckStrict(remote.bare)
  })

  it('reports MERGE_CONFLICT per path and changes nothing', async () => {
    const { remote, url, project } = makeRemote()
    await importProject({ store, name: project, url, token: TOKEN })
    const repo = await Repository.open({ store, name: project })
    await repo.commit({
      branch: 'main',
      changes: [
        { path: 'src/a.txt', action: 'write', content: Buffer.from('a local\n') },
        { path: 'README.md', action: 'write', content: Buffer.from('same\n') },
      ],
      message: 'local',
      author,
    })
    remote.commit({ 'src/a.txt': 'a remote\n', 'README.md': 'same\n', 'docs/more.md': 'm\n' }, 'r')
    const before = await snapshot(store, project)
    const err = await expectSyncError(
      pullProject({ store, name: project, token: TOKEN, merge: true }),
      'MERGE_CONFLICT',
    )
    expect(err.data.paths).toEqual(['src/a.txt'])
    expect(await snapshot(store, project)).toEqual(before)
  })

  it('needs a remote', async () => {
    await store.createRepo({ name: 'no-remote' })
    await expectSyncError(pullProject({ store, name: 'no-remote' }), 'NO_REMOTE')
    await expectSyncError(pushProject({ store, name: 'no-remote' }), 'NO_REMOTE')
  })
})

describe('pushProject', () => {
  it('pushes new commits; the remote git log and git fsck --strict agree', async () => {
    const { remote, url, project } = makeRemote()
    await importProject({ store, name: project, url, token: TOKEN })
    const repo = await Repository.open({ store, name: project })
    await repo.commit({
      branch: 'main',
      changes: [
        { path: 'src/a.txt', action: 'write', content: Buffer.from('edited\n') },
        { path: 'docs/new/deep.md', action: 'write', content: Buffer.from('deep\n') },
        { path: 'README.md', action: 'delete' },
      ],
      message: 'edit from gitpg',
      author,
    })
    const head = await repo.commit({
      branch: 'main',
      changes: [
        { path: 'run.sh', action: 'write', content: Buffer.from('#!/bin/sh\n'), mode: '100755' },
      ],
      message: 'add script',
      author,
    })
    const from = remote.head()
    const result = await pushProject({ store, name: project, token: TOKEN })
    expect(result).toMatchObject({
      branch: 'main',
      remoteBranch: 'main',
      from,
      to: head.oid,
      pushed: true,
    })
    // 2 commits; commit 1: root, src, src/a.txt, docs, docs/new, deep.md; commit 2: root, run.sh
    expect(result.objects).toBe(10)
    expect(remote.revList()).toEqual(await gitpgLog(project))
    fsckStrict(remote.bare)
    expect(remote.git('show', 'main:src/a.txt')).toBe('edited\n')
    const again = await pushProject({ store, name: project, token: TOKEN })
    expect(again).toMatchObject({ pushed: false, objects: 0 })
  })

  it('pushes a new branch, and a shallow project', async () => {
    const { remote, url, project } = makeRemote()
    await importProject({ store, name: project, url, token: TOKEN, depth: 1 })
    const repo = await Repository.open({ store, name: project })
    await repo.createBranch({ name: 'topic' })
    const topic = await repo.commit({
      branch: 'topic',
      changes: [{ path: 'topic.txt', action: 'write', content: Buffer.from('t\n') }],
      message: 'topic work',
      author,
    })
    const result = await pushProject({ store, name: project, token: TOKEN, branch: 'topic' })
    expect(result).toMatchObject({ remoteBranch: 'topic', from: null, to: topic.oid, objects: 3 })
    expect(remote.head('topic')).toBe(topic.oid)
    fsckStrict(remote.bare)
    await repo.commit({
      branch: 'main',
      changes: [{ path: 'main.txt', action: 'write', content: Buffer.from('m\n') }],
      message: 'main work',
      author,
    })
    await pushProject({ store, name: project, token: TOKEN })
    expect(remote.revList().slice(0, 2)).toEqual(await gitpgLog(project))
    fsckStrict(remote.bare)
  })

  it('imports an empty remote, then pushes the first commits to it', async () => {
    const remote = new RemoteRepo(root, `empty-${++counter}`)
    const url = `${server.url}/${remote.name}.git`
    const project = `p-empty-${counter}`
    const imported = await importProject({ store, name: project, url, token: TOKEN })
    expect(imported).toMatchObject({ created: true, branch: 'main', head: null, objects: 0 })
    const repo = await Repository.open({ store, name: project })
    const first = await repo.commit({
      branch: 'main',
      changes: [{ path: 'hello.txt', action: 'write', content: Buffer.from('hello\n') }],
      message: 'first',
      author,
    })
    const result = await pushProject({ store, name: project, token: TOKEN })
    expect(result).toMatchObject({ from: null, to: first.oid, pushed: true, objects: 3 })
    expect(remote.revList()).toEqual([first.oid])
    fsckStrict(remote.bare)
  })

  it('refuses a non-fast-forward (NON_FAST_FORWARD, nothing changes) unless forced', async () => {
    const { remote, url, project } = makeRemote()
    await importProject({ store, name: project, url, token: TOKEN })
    const repo = await Repository.open({ store, name: project })
    const local = await repo.commit({
      branch: 'main',
      changes: [{ path: 'local.txt', action: 'write', content: Buffer.from('mine\n') }],
      message: 'local',
      author,
    })
    const remoteHead = remote.commit({ 'remote.txt': 'theirs\n' }, 'remote')
    const before = await snapshot(store, project)
    await expectSyncError(pushProject({ store, name: project, token: TOKEN }), 'NON_FAST_FORWARD')
    expect(remote.head()).toBe(remoteHead)
    expect(await snapshot(store, project)).toEqual(before)
    const forced = await pushProject({ store, name: project, token: TOKEN, force: true })
    expect(forced).toMatchObject({ from: remoteHead, to: local.oid, pushed: true })
    expect(remote.revList()).toEqual(await gitpgLog(project))
    fsckStrict(remote.bare)
  })

  it('is refused with a bad token and leaves the remote alone', async () => {
    const { remote, url, project } = makeRemote()
    await importProject({ store, name: project, url, token: TOKEN })
    const repo = await Repository.open({ store, name: project })
    await repo.commit({
      branch: 'main',
      changes: [{ path: 'x.txt', action: 'write', content: Buffer.from('x\n') }],
      message: 'x',
      author,
    })
    const head = remote.head()
    await expectSyncError(pushProject({ store, name: project, token: 'wrong' }), 'AUTH_FAILED')
    expect(remote.head()).toBe(head)
  })

  it('pullRequest pushes to a new remote branch and opens a pull request', async () => {
    const remote = new RemoteRepo(root, `octo/pr-${++counter}`)
    remote.commit({ 'README.md': 'hi\n' }, 'first')
    const url = `${server.url}/${remote.name}.git`
    const project = `p-pr-${counter}`
    const github = await startFakeGitHub({
      token: TOKEN,
      repos: [
        {
          owner: 'octo',
          name: remote.name.slice('octo/'.length),
          defaultBranch: 'main',
          private: true,
          push: true,
          hasBranch: (b) => remote.git('branch', '--list', b).trim() !== '',
        },
      ],
    })
    try {
      await importProject({ store, name: project, url, token: TOKEN })
      const repo = await Repository.open({ store, name: project })
      const head = await repo.commit({
        branch: 'main',
        changes: [{ path: 'README.md', action: 'write', content: Buffer.from('changed\n') }],
        message: 'change readme',
        author,
      })
      const result = await pushProject({
        store,
        name: project,
        token: TOKEN,
        githubApiUrl: github.url,
        pullRequest: { title: 'Change the readme', body: 'From gitpg' },
      })
      const branch = `gitpg/main-${head.oid.slice(0, 8)}`
      expect(result).toMatchObject({ remoteBranch: branch, from: null, to: head.oid, pushed: true })
      expect(result.pullRequest).toEqual({
        url: `https://github.com/${remote.name}/pull/1`,
        number: 1,
      })
      expect(remote.head(branch)).toBe(head.oid)
      expect(remote.head('main')).not.toBe(head.oid)
      expect(github.requests.at(-1)?.body).toEqual({
        title: 'Change the readme',
        body: 'From gitpg',
        head: branch,
        base: 'main',
      })
      fsckStrict(remote.bare)
    } finally {
      await github.close()
    }
  })

  it('pullRequest needs a GitHub API for the host, and pushes nothing without one', async () => {
    const { remote, url, project } = makeRemote()
    await importProject({ store, name: project, url, token: TOKEN })
    const repo = await Repository.open({ store, name: project })
    await repo.commit({
      branch: 'main',
      message: 'local work',
      author,
      changes: [{ path: 'pr.txt', action: 'write', content: Buffer.from('pr\n') }],
    })
    const before = remote.git('for-each-ref')
    await expectSyncError(
      pushProject({ store, name: project, token: TOKEN, pullRequest: { title: 't' } }),
      'PULL_REQUEST_UNSUPPORTED',
    )
    expect(remote.git('for-each-ref')).toBe(before)
  })
})
