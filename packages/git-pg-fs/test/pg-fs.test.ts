import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import git from 'isomorphic-git'
import http from 'isomorphic-git/http/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BadObjectError } from '../src/errors.ts'
import { createPgFs, type PgFs } from '../src/fs/pg-fs.ts'
import { makeObject } from '../src/objects/git-object.ts'
import { classifyGitdirPath, relativeToGitdir } from '../src/paths/gitdir-path.ts'
import type { PostgresStore } from '../src/store/postgres/postgres-store.ts'
import { createStoreDatabase, type StoreDatabase } from '../../../test/support/store-database.ts'
import { git as gitCli, gitOutput } from '../../../test/support/git-cli.ts'
import { startGitHttpServer, type TestHttpServer } from '../../sync/test/support/git-http-server.ts'

const gitdir = '/repo.git'
const author = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  timestamp: 1700000000,
  timezoneOffset: 0,
}
const authorEnv = {
  GIT_AUTHOR_NAME: author.name,
  GIT_AUTHOR_EMAIL: author.email,
  GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_NAME: author.name,
  GIT_COMMITTER_EMAIL: author.email,
  GIT_COMMITTER_DATE: '1700000000 +0000',
}

let stored: StoreDatabase
let store: PostgresStore
let tmp: string

/** A fresh repository in the store and an adapter over it. */
async function newRepo(name: string): Promise<{ repoId: number; fs: PgFs }> {
  const { repo } = await store.createRepo({ name })
  return { repoId: repo.repoId, fs: createPgFs({ store, repoId: repo.repoId, gitdir }) }
}

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<{ code?: string }> {
  try {
    await promise
  } catch (err) {
    return err as { code?: string }
  }
  throw new Error('expected a rejection')
}

/** A repository made with the git CLI: a few commits editing one large file (so the pack has deltas), a tag. */
async function buildSourceRepo(dir: string): Promise<void> {
  await gitCli(tmp, ['init', '-q', '-b', 'main', dir])
  const lines = Array.from({ length: 400 }, (_, i) => `line ${i} of a file long enough to deltify`)
  for (let n = 0; n < 5; n++) {
    lines[n * 7] = `edited in commit ${n}`
    await writeFile(join(dir, 'big.txt'), lines.join('\n') + '\n')
    await writeFile(join(dir, `file-${n}.txt`), `content ${n}\n`)
    await gitCli(dir, ['add', '-A'])
    await gitCli(dir, ['commit', '-q', '-m', `commit ${n}`], { env: authorEnv })
  }
  await gitCli(dir, ['tag', '-a', 'v1', '-m', 'release one'], { env: authorEnv })
  await gitCli(dir, ['branch', 'side', 'HEAD~2'])
}

beforeAll(async () => {
  stored = await createStoreDatabase()
  store = stored.store
  tmp = await mkdtemp(join(tmpdir(), 'pg-fs-'))
})

afterAll(async () => {
  await stored?.close()
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

describe('classifyGitdirPath', () => {
  it('tells loose objects, packs, refs and other files apart', () => {
    const oid = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'
    expect(classifyGitdirPath('')).toEqual({ kind: 'root' })
    expect(classifyGitdirPath(`objects/${oid.slice(0, 2)}/${oid.slice(2)}`)).toEqual({
      kind: 'object',
      oid,
    })
    expect(classifyGitdirPath('objects/e6')).toEqual({ kind: 'object-fanout', prefix: 'e6' })
    expect(classifyGitdirPath('objects')).toEqual({ kind: 'objects-dir' })
    expect(classifyGitdirPath('objects/pack')).toEqual({ kind: 'pack-dir' })
    expect(classifyGitdirPath('objects/pack/pack-1.idx')).toEqual({
      kind: 'pack-file',
      name: 'pack-1.idx',
      ext: 'idx',
    })
    expect(classifyGitdirPath('objects/info/packs')).toEqual({
      kind: 'file',
      path: 'objects/info/packs',
    })
    expect(classifyGitdirPath('refs/heads')).toEqual({ kind: 'refs-dir', name: 'refs/heads' })
    expect(classifyGitdirPath('refs/heads/a/b')).toEqual({ kind: 'ref', name: 'refs/heads/a/b' })
    expect(classifyGitdirPath('HEAD')).toEqual({ kind: 'head' })
    expect(classifyGitdirPath('packed-refs')).toEqual({ kind: 'packed-refs' })
    expect(classifyGitdirPath('config')).toEqual({ kind: 'file', path: 'config' })
  })

  it('places paths inside or outside the gitdir', () => {
    expect(relativeToGitdir('/repo.git', '/repo.git')).toBe('')
    expect(relativeToGitdir('/repo.git/', '/repo.git//refs/./heads/')).toBe('refs/heads')
    expect(relativeToGitdir('/repo.git', '/repo.gitx/HEAD')).toBeNull()
    expect(relativeToGitdir('/repo.git', '/repo.git/../work/a')).toBeNull()
  })
})

describe('createPgFs', () => {
  it('serves the HEAD and config a new repository was created with', async () => {
    const { fs } = await newRepo('fresh')
    expect(await git.currentBranch({ fs, gitdir })).toBe('main')
    expect(await git.getConfig({ fs, gitdir, path: 'core.bare' })).toBe(true)
    expect(await git.listBranches({ fs, gitdir })).toEqual([])
    expect(await fs.promises.readFile(`${gitdir}/HEAD`, 'utf8')).toBe('ref: refs/heads/main\n')
    expect(await fs.promises.readdir(gitdir)).toEqual(['HEAD', 'config', 'objects', 'refs'])
    expect(await fs.promises.readdir(`${gitdir}/refs`)).toEqual(['heads', 'tags'])
  })

  it('stores what isomorphic-git writes, with the ids git computes', async () => {
    const { repoId, fs } = await newRepo('written')
    const cli = join(tmp, 'written-check')
    await gitCli(tmp, ['init', '-q', '--bare', cli])

    const blob = await git.writeBlob({ fs, gitdir, blob: Buffer.from('hello world\n') })
    expect(blob).toBe(
      (await gitOutput(cli, ['hash-object', '--stdin'], { input: 'hello world\n' })).trim(),
    )
    const sub = await git.writeTree({
      fs,
      gitdir,
      tree: [{ mode: '100755', path: 'run.sh', oid: blob, type: 'blob' }],
    })
    const tree = await git.writeTree({
      fs,
      gitdir,
      tree: [
        { mode: '100644', path: 'hello.txt', oid: blob, type: 'blob' },
        { mode: '040000', path: 'bin', oid: sub, type: 'tree' },
      ],
    })
    const commit = await git.writeCommit({
      fs,
      gitdir,
      commit: { message: 'first\n', tree, parent: [], author, committer: author },
    })
    await git.writeRef({ fs, gitdir, ref: 'refs/heads/main', value: commit })

    expect((await store.readRef(repoId, 'refs/heads/main'))?.oid).toBe(commit)
    expect(await store.hasObjects(repoId, [blob, sub, tree, commit])).toEqual(
      new Set([blob, sub, tree, commit]),
    )
    expect(await git.resolveRef({ fs, gitdir, ref: 'HEAD' })).toBe(commit)
    expect(await git.listBranches({ fs, gitdir })).toEqual(['main'])
    const log = await git.log({ fs, gitdir, ref: 'main' })
    expect(log.map((c) => c.oid)).toEqual([commit])
    expect(log[0].commit.message).toBe('first\n')
    const read = await git.readBlob({ fs, gitdir, oid: commit, filepath: 'bin/run.sh' })
    expect(Buffer.from(read.blob).toString()).toBe('hello world\n')

    // The loose object files the adapter serves, copied byte for byte into a real repository.
    for (const oid of [blob, sub, tree, commit]) {
      const path = `objects/${oid.slice(0, 2)}/${oid.slice(2)}`
      const data = (await fs.promises.readFile(`${gitdir}/${path}`)) as Buffer
      await mkdir(dirname(join(cli, path)), { recursive: true })
      await writeFile(join(cli, path), data)
    }
    await gitCli(cli, ['update-ref', 'refs/heads/main', commit])
    await gitCli(cli, ['fsck', '--strict', '--no-dangling'])
    const rebuilt = await gitOutput(cli, ['commit-tree', tree, '-m', 'first'], { env: authorEnv })
    expect(rebuilt.trim()).toBe(commit)
    expect(await gitOutput(cli, ['ls-tree', '-r', 'main'])).toBe(
      `100755 blob ${blob}\tbin/run.sh\n100644 blob ${blob}\thello.txt\n`,
    )
  })

  it('reads objects the store holds', async () => {
    const { repoId, fs } = await newRepo('direct')
    const blob = makeObject('blob', Buffer.from('stored directly\n'))
    await store.writeObjects(repoId, [blob])
    const read = await git.readObject({ fs, gitdir, oid: blob.oid })
    expect(read.type).toBe('blob')
    expect(Buffer.from(read.object as Uint8Array).toString()).toBe('stored directly\n')
    const stat = await fs.promises.stat(
      `${gitdir}/objects/${blob.oid.slice(0, 2)}/${blob.oid.slice(2)}`,
    )
    expect(stat.isFile()).toBe(true)
    await expect(git.readObject({ fs, gitdir, oid: '0'.repeat(40) })).rejects.toMatchObject({
      code: 'NotFoundError',
    })
  })

  it('explodes a pack written to objects/pack into objects and keeps no pack', async () => {
    const source = join(tmp, 'pack-source')
    await buildSourceRepo(source)
    const pack = await gitCli(source, ['pack-objects', '--all', '--stdout'], { input: '' })
    const oids = (await gitOutput(source, ['rev-list', '--objects', '--all']))
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(0, 40))

    const { repoId, fs } = await newRepo('packed')
    await fs.promises.writeFile(`${gitdir}/objects/pack/pack-x.pack`, pack)
    await fs.promises.writeFile(`${gitdir}/objects/pack/pack-x.idx`, Buffer.from('ignored'))
    await fs.promises.writeFile(`${gitdir}/objects/pack/pack-x.keep`, '')

    expect(await store.countObjects(repoId)).toBe(oids.length)
    expect((await store.hasObjects(repoId, oids)).size).toBe(oids.length)
    expect(await fs.promises.readdir(`${gitdir}/objects/pack`)).toEqual([])
    expect((await failure(fs.promises.stat(`${gitdir}/objects/pack/pack-x.pack`))).code).toBe(
      'ENOENT',
    )

    // Every object reads back with git's bytes, deltified ones included.
    const big = (await gitOutput(source, ['rev-parse', 'main~3:big.txt'])).trim()
    const read = await git.readObject({ fs, gitdir, oid: big })
    expect(Buffer.from(read.object as Uint8Array)).toEqual(
      await gitCli(source, ['cat-file', 'blob', big]),
    )
    const main = (await gitOutput(source, ['rev-parse', 'main'])).trim()
    await git.writeRef({ fs, gitdir, ref: 'refs/heads/main', value: main })
    const log = await git.log({ fs, gitdir, ref: 'main' })
    expect(log.map((c) => c.oid)).toEqual(
      (await gitOutput(source, ['rev-list', 'main'])).trim().split('\n'),
    )
  })

  describe('fetching and cloning over smart HTTP', () => {
    let server: TestHttpServer
    let source: string

    beforeAll(async () => {
      const root = join(tmp, 'served')
      source = join(root, 'source.git')
      const work = join(tmp, 'served-work')
      await buildSourceRepo(work)
      await mkdir(root, { recursive: true })
      await gitCli(tmp, ['clone', '-q', '--bare', work, source])
      server = await startGitHttpServer({ root })
    })

    afterAll(async () => {
      await server?.close()
    })

    it('fetches every ref and object, storing refs only once their objects are in', async () => {
      const { repoId, fs } = await newRepo('fetched')
      await git.addRemote({ fs, gitdir, remote: 'origin', url: `${server.url}/source.git` })
      const result = await git.fetch({
        fs,
        http,
        gitdir,
        remote: 'origin',
        singleBranch: false,
        tags: true,
      })

      const cliRefs = (
        await gitOutput(source, ['for-each-ref', '--format=%(refname) %(objectname)'])
      )
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
      for (const [name, oid] of cliRefs) {
        const local = name.replace('refs/heads/', 'refs/remotes/origin/')
        expect((await store.readRef(repoId, local))?.oid, local).toBe(oid)
      }
      expect(result.fetchHead).toBe((await gitOutput(source, ['rev-parse', 'main'])).trim())
      expect(fs.pendingRefs()).toEqual([])
      const all = (await gitOutput(source, ['rev-list', '--objects', '--all']))
        .split('\n')
        .filter(Boolean)
      expect(await store.countObjects(repoId)).toBe(all.length)
      expect(await fs.promises.readdir(`${gitdir}/objects/pack`)).toEqual([])
      expect(await git.listBranches({ fs, gitdir, remote: 'origin' })).toEqual([
        'HEAD',
        'main',
        'side',
      ])
    })

    it('clones into a repository and checks the work tree out in memory', async () => {
      const { repoId, fs } = await newRepo('cloned')
      // As on disk, the work tree directory must exist when the gitdir lives elsewhere.
      await fs.promises.mkdir('/work')
      await git.clone({ fs, http, dir: '/work', gitdir, url: `${server.url}/source.git` })
      const main = (await gitOutput(source, ['rev-parse', 'main'])).trim()
      expect((await store.readRef(repoId, 'refs/heads/main'))?.oid).toBe(main)
      expect(await git.resolveRef({ fs, gitdir, ref: 'HEAD' })).toBe(main)
      expect(await fs.promises.readFile('/work/file-4.txt', 'utf8')).toBe('content 4\n')
      expect((await fs.promises.readdir('/work')).sort()).toEqual(
        ['big.txt', 'file-0.txt', 'file-1.txt', 'file-2.txt', 'file-3.txt', 'file-4.txt'].sort(),
      )
      expect(await git.statusMatrix({ fs, dir: '/work', gitdir })).toHaveLength(6)
    })
  })

  it('keeps a ref to a missing object pending until the object arrives', async () => {
    const { repoId, fs } = await newRepo('pending')
    const blob = makeObject('blob', Buffer.from('late\n'))
    const commit = makeObject(
      'commit',
      Buffer.from(
        `tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\nx\n`,
      ),
    )
    await fs.promises.writeFile(`${gitdir}/refs/heads/late`, `${commit.oid}\n`)
    expect(fs.pendingRefs()).toEqual(['refs/heads/late'])
    expect(await store.readRef(repoId, 'refs/heads/late')).toBeNull()
    expect(await fs.promises.readFile(`${gitdir}/refs/heads/late`, 'utf8')).toBe(`${commit.oid}\n`)
    expect(await fs.promises.readdir(`${gitdir}/refs/heads`)).toEqual(['late'])

    await git.writeBlob({ fs, gitdir, blob: blob.content })
    expect(fs.pendingRefs()).toEqual(['refs/heads/late'])
    await git.writeObject({ fs, gitdir, type: 'commit', object: commit.content })
    expect(fs.pendingRefs()).toEqual([])
    expect((await store.readRef(repoId, 'refs/heads/late'))?.oid).toBe(commit.oid)
  })

  it('parses packed-refs writes into refs and reads packed-refs as absent', async () => {
    const { repoId, fs } = await newRepo('packed-refs')
    const blob = await git.writeBlob({ fs, gitdir, blob: Buffer.from('x') })
    await fs.promises.writeFile(
      `${gitdir}/packed-refs`,
      `# pack-refs with: peeled fully-peeled sorted \n${blob} refs/tags/t1\n^${blob}\n`,
    )
    expect((await store.readRef(repoId, 'refs/tags/t1'))?.oid).toBe(blob)
    expect((await failure(fs.promises.readFile(`${gitdir}/packed-refs`))).code).toBe('ENOENT')
    expect(await git.listTags({ fs, gitdir })).toEqual(['t1'])
  })

  it('symbolic refs and ref deletion go through git_refs', async () => {
    const { repoId, fs } = await newRepo('symbolic')
    const blob = await git.writeBlob({ fs, gitdir, blob: Buffer.from('y') })
    await git.writeRef({ fs, gitdir, ref: 'refs/heads/dev/one', value: blob })
    await git.writeRef({
      fs,
      gitdir,
      ref: 'HEAD',
      value: 'refs/heads/dev/one',
      symbolic: true,
      force: true,
    })
    expect(await store.readRef(repoId, 'HEAD')).toMatchObject({
      target: 'refs/heads/dev/one',
      oid: null,
    })
    expect(await git.currentBranch({ fs, gitdir, fullname: true })).toBe('refs/heads/dev/one')
    expect((await fs.promises.stat(`${gitdir}/refs/heads/dev`)).isDirectory()).toBe(true)
    await git.deleteRef({ fs, gitdir, ref: 'refs/heads/dev/one' })
    expect(await store.readRef(repoId, 'refs/heads/dev/one')).toBeNull()
    expect((await failure(fs.promises.stat(`${gitdir}/refs/heads/dev`))).code).toBe('ENOENT')
  })

  it('throws the Node error codes isomorphic-git checks', async () => {
    const { fs } = await newRepo('errors')
    const p = fs.promises
    const blob = await git.writeBlob({ fs, gitdir, blob: Buffer.from('z') })
    await git.writeRef({ fs, gitdir, ref: 'refs/heads/main', value: blob })
    const code = async (promise: Promise<unknown>) => (await failure(promise)).code

    expect(await code(p.stat(`${gitdir}/refs/heads/nope`))).toBe('ENOENT')
    expect(await code(p.stat(`${gitdir}/objects/00/${'0'.repeat(38)}`))).toBe('ENOENT')
    expect(await code(p.stat(`${gitdir}/HEAD/x`))).toBe('ENOTDIR')
    expect(await code(p.stat(`${gitdir}/refs/heads/main/x/y`))).toBe('ENOTDIR')
    expect(await code(p.readFile(`${gitdir}/nope`))).toBe('ENOENT')
    expect(await code(p.readFile(`${gitdir}/config/x`))).toBe('ENOTDIR')
    expect(await code(p.readFile(`${gitdir}/refs`))).toBe('EISDIR')
    expect(await code(p.readFile(gitdir))).toBe('EISDIR')
    expect(await code(p.readdir(`${gitdir}/HEAD`))).toBe('ENOTDIR')
    expect(await code(p.readdir(`${gitdir}/refs/nope`))).toBe('ENOENT')
    expect(await code(p.mkdir(`${gitdir}/refs/heads`))).toBe('EEXIST')
    expect(await code(p.mkdir(`${gitdir}/config`))).toBe('EEXIST')
    expect(await code(p.mkdir(`${gitdir}/a/b`))).toBe('ENOENT')
    expect(await code(p.mkdir(`${gitdir}/refs/heads/main/sub`))).toBe('ENOTDIR')
    expect(await code(p.rmdir(`${gitdir}/refs/heads`))).toBe('ENOTEMPTY')
    expect(await code(p.rmdir(`${gitdir}/config`))).toBe('ENOTDIR')
    expect(await code(p.rmdir(`${gitdir}/nope`))).toBe('ENOENT')
    expect(await code(p.unlink(`${gitdir}/refs/heads/nope`))).toBe('ENOENT')
    expect(await code(p.unlink(`${gitdir}/refs`))).toBe('EISDIR')
    expect(await code(p.writeFile(`${gitdir}/refs/heads/main/x`, `${blob}\n`))).toBe('ENOTDIR')
    expect(await code(p.writeFile(`${gitdir}/refs/heads`, `${blob}\n`))).toBe('EISDIR')
    expect(await code(p.readFile('/elsewhere/file'))).toBe('ENOENT')
    expect(await code((p.readFile as () => Promise<unknown>)())).toBe('ERR_INVALID_ARG_TYPE')

    // An empty directory made with mkdir exists until rmdir removes it.
    await p.mkdir(`${gitdir}/hooks`)
    expect((await p.stat(`${gitdir}/hooks`)).isDirectory()).toBe(true)
    expect(await p.readdir(gitdir)).toContain('hooks')
    await p.rmdir(`${gitdir}/hooks`)
    expect(await code(p.stat(`${gitdir}/hooks`))).toBe('ENOENT')
    await p.mkdir(`${gitdir}/logs/refs/heads`, { recursive: true })
    expect(await p.readdir(`${gitdir}/logs`)).toEqual(['refs'])
  })

  it('rejects loose objects that do not hash to their path', async () => {
    const { repoId, fs } = await newRepo('corrupt')
    const good = makeObject('blob', Buffer.from('good\n'))
    const { encodeLooseObject } = await import('../src/fs/loose-object.ts')
    const wrongPath = `${gitdir}/objects/${'ab'}/${'c'.repeat(38)}`
    const err = await failure(fs.promises.writeFile(wrongPath, encodeLooseObject(good)))
    expect(err).toBeInstanceOf(BadObjectError)
    expect(err.code).toBe('BAD_OBJECT')
    expect(await store.countObjects(repoId)).toBe(0)
  })

  it('changes stat values on every write and never removes the gitdir', async () => {
    const { fs } = await newRepo('stats')
    const p = fs.promises
    await p.writeFile(`${gitdir}/shallow`, 'aaaa\n')
    const first = await p.stat(`${gitdir}/shallow`)
    await p.writeFile(`${gitdir}/shallow`, 'bbbb\n')
    const second = await p.stat(`${gitdir}/shallow`)
    expect(second.size).toBe(first.size)
    expect(second.ino).not.toBe(first.ino)
    expect(second.mtimeMs).toBeGreaterThan(first.mtimeMs)
    expect(first.isFile() && !first.isDirectory() && !first.isSymbolicLink()).toBe(true)
    expect((await p.stat(gitdir)).isDirectory()).toBe(true)
    expect((await p.lstat(`${gitdir}/HEAD`)).size).toBe('ref: refs/heads/main\n'.length)

    expect((await failure(p.rm(gitdir, { recursive: true }))).code).toBe('EPERM')
    expect(await p.readFile(`${gitdir}/HEAD`, 'utf8')).toBe('ref: refs/heads/main\n')
    await p.rm(`${gitdir}/shallow`)
    expect((await failure(p.stat(`${gitdir}/shallow`))).code).toBe('ENOENT')
  })

  it('keeps work-tree paths in memory, symlinks included', async () => {
    const { fs } = await newRepo('worktree')
    const p = fs.promises
    await p.mkdir('/work')
    await p.writeFile('/work/a.txt', 'A')
    await p.symlink('a.txt', '/work/link')
    expect(await p.readlink('/work/link')).toBe('a.txt')
    expect((await p.lstat('/work/link')).isSymbolicLink()).toBe(true)
    expect(await p.readFile('/work/link', 'utf8')).toBe('A')
    expect((await p.readdir('/')).sort()).toEqual(['repo.git', 'work'])
    expect((await failure(p.symlink('x', `${gitdir}/link`))).code).toBe('EPERM')
    expect((await failure(p.readlink(`${gitdir}/HEAD`))).code).toBe('EINVAL')
  })
})
