import { randomBytes } from 'node:crypto'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  FLUSH,
  Repository,
  makeObject,
  parsePktLines,
  pktLine,
  type Database,
  type PostgresStore,
} from '@gitpg/git-pg-fs'
import type { RunningServer } from '@gitpg/server'
import { buildFixtureRepo, type FixtureRepo } from './support/fixture-repo.ts'
import { cloneStrict, git, gitOutput, gitRefs, lines } from './support/git-cli.ts'
import { fsckStrict } from './support/export-objects.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'

const KEY = 'git-http-full-clone-key'
const identity = ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com']
let stack: TestStack
let tmp: string
let fixture: FixtureRepo
let server: RunningServer
let db: Database
let store: PostgresStore

const remote = (project: string) => stack.remote(project)

const api = (method: string, path: string) =>
  fetch(`${server.url}${path}`, { method, headers: { 'X-Internal-API-Key': KEY } })

/** Every object a repository holds, and every object its refs reach, as sorted ids. */
async function objectSets(dir: string) {
  const all = lines(
    await gitOutput(dir, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)']),
  )
  const reachable = lines(await gitOutput(dir, ['rev-list', '--objects', '--all'])).map((l) =>
    l.slice(0, 40),
  )
  return { all: [...new Set(all)].sort(), reachable: [...new Set(reachable)].sort() }
}

async function packFiles(dir: string): Promise<string[]> {
  const out = await gitOutput(dir, ['count-objects', '-v'])
  expect(out).toMatch(/packs: 1/)
  const ls = lines(await gitOutput(dir, ['rev-parse', '--git-path', 'objects/pack']))[0]
  return (await readdir(join(dir, ls)))
    .filter((f) => f.endsWith('.idx'))
    .map((f) => join(dir, ls, f))
}

const clone = (project: string, name: string, args: string[] = []) =>
  cloneStrict({ url: remote(project), dir: join(tmp, name), args })

beforeAll(async () => {
  stack = await startTestStack({ name: 'full-clone', apiKey: KEY })
  ;({ tmp, server, db, store } = stack)
  fixture = await buildFixtureRepo({ dir: join(tmp, 'fixture'), commits: 80, seed: 11 })
  // a file larger than one stored zlib block, and an annotated tag of a blob
  await writeFile(join(tmp, 'large.bin'), randomBytes(200_000))
  const large = (await gitOutput(fixture.dir, ['hash-object', '-w', join(tmp, 'large.bin')])).trim()
  await git(fixture.dir, [...identity, 'tag', '-a', '-m', 'a large blob', 'large-blob', large])
  for (const project of ['full', 'broken']) {
    expect((await api('PUT', `/projects/${project}`)).status).toBe(201)
    await git(fixture.dir, ['push', '-q', remote(project), '--all'])
    await git(fixture.dir, ['push', '-q', remote(project), '--tags'])
  }
})

afterAll(() => stack?.close())

describe('full clone', () => {
  it('sends exactly the objects the refs reach, not what a deleted branch left behind', async () => {
    const repo = await Repository.open({ store, name: 'full' })
    // unreachable: a deleted branch's commits, trees and blobs, and objects no ref ever reached
    const work = join(tmp, 'work')
    await git(tmp, ['clone', '-q', remote('full'), work])
    await writeFile(join(work, 'secret.txt'), 'deleted later\n')
    await git(work, ['add', 'secret.txt'])
    await git(work, [...identity, 'commit', '-q', '-m', 'gone'])
    await git(work, ['push', '-q', 'origin', 'HEAD:refs/heads/doomed'])
    await git(work, ['push', '-q', 'origin', ':refs/heads/doomed'])
    const stray = makeObject('blob', Buffer.from('never referenced\n'))
    await store.writeObjects(repo.repoId, [stray])
    const secret = (await gitOutput(work, ['rev-parse', 'HEAD:secret.txt'])).trim()
    expect((await store.hasObjects(repo.repoId, [secret, stray.oid])).size).toBe(2)

    const dir = await clone('full', 'clone-all', ['--bare'])
    await fsckStrict(dir)
    const { all, reachable } = await objectSets(dir)
    expect(all).toEqual(reachable)
    expect(all).toEqual((await objectSets(fixture.dir)).reachable)
    expect(all).not.toContain(secret)
    expect(all).not.toContain(stray.oid)
    expect(await gitRefs(dir)).toEqual(await gitRefs(fixture.dir))
  })

  it("sends a second clone of every ref from the first one's record, without a walk", async () => {
    expect((await api('PUT', '/projects/again')).status).toBe(201)
    await git(fixture.dir, ['push', '-q', remote('again'), '--all'])
    await git(fixture.dir, ['push', '-q', remote('again'), '--tags'])
    const repo = await Repository.open({ store, name: 'again' })
    const first = await clone('again', 'again-1', ['--bare'])
    const recorded = async () =>
      (
        await db.query('SELECT objects, recorded_at FROM git_full_packs WHERE repo_id = $1', [
          repo.repoId,
        ])
      ).rows
    const expected = (await objectSets(fixture.dir)).reachable
    const record = await recorded()
    expect(record).toEqual([{ objects: expected.length, recorded_at: expect.any(Date) }])
    const second = await clone('again', 'again-2', ['--bare'])
    // a clone that walked would have recorded again, later
    expect(await recorded()).toEqual(record)
    await fsckStrict(second)
    expect((await objectSets(second)).all).toEqual(expected)
    expect((await objectSets(first)).all).toEqual(expected)
    expect(await gitRefs(second)).toEqual(await gitRefs(fixture.dir))
  })

  it('sends one branch and its tags alone to a --single-branch clone', async () => {
    const dir = await clone('full', 'clone-one', ['--bare', '--single-branch', '-b', 'feature'])
    await fsckStrict(dir)
    const { all, reachable } = await objectSets(dir)
    expect(all).toEqual(reachable)
    const feature = (await gitOutput(fixture.dir, ['rev-parse', 'feature'])).trim()
    expect((await gitOutput(dir, ['rev-parse', 'feature'])).trim()).toBe(feature)
  })

  it('writes deltas by base id for a client without ofs-delta', async () => {
    const head = (await gitOutput(fixture.dir, ['rev-parse', 'main'])).trim()
    const res = await fetch(`${server.url}/git/full.git/git-upload-pack`, {
      method: 'POST',
      headers: {
        'X-Internal-API-Key': KEY,
        'Content-Type': 'application/x-git-upload-pack-request',
      },
      body: Buffer.concat([pktLine(`want ${head} side-band-64k\n`), FLUSH, pktLine('done\n')]),
    })
    expect(res.status).toBe(200)
    const { packets } = parsePktLines(Buffer.from(await res.arrayBuffer()))
    const pack = Buffer.concat(
      packets.flatMap((p) => (Buffer.isBuffer(p) && p[0] === 1 ? [p.subarray(1)] : [])),
    )
    const dir = join(tmp, 'ref-delta.git')
    await git(tmp, ['init', '-q', '--bare', dir])
    await git(dir, ['index-pack', '--stdin', '--strict'], { input: pack })
    const verify = await gitOutput(dir, ['verify-pack', '-v', ...(await packFiles(dir))])
    expect(verify).toMatch(/ tree .* 1 [0-9a-f]{40}\n/)
    await git(dir, ['update-ref', 'refs/heads/main', head])
    await fsckStrict(dir)
    const { all, reachable } = await objectSets(dir)
    expect(all).toEqual(reachable)
  })

  it('fails the clone rather than send a pack missing an object', async () => {
    const repo = await Repository.open({ store, name: 'broken' })
    const files = lines(await gitOutput(fixture.dir, ['ls-tree', '-r', 'main']))
    const blob = files.find((l) => l.includes(' blob '))!.split(/\s/)[2]
    await db.query('DELETE FROM git_objects WHERE repo_id = $1 AND oid = $2', [
      repo.repoId,
      Buffer.from(blob, 'hex'),
    ])
    await expect(clone('broken', 'clone-broken', ['--bare'])).rejects.toThrow(
      new RegExp(`object ${blob} does not exist`),
    )
  })
})
