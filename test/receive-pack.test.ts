import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EMPTY_TREE_OID,
  FLUSH,
  deltaVarint,
  entryHeader,
  makeObject,
  packHeader,
  pktLine,
  serializeCommit,
  writePack,
  type PostgresStore,
  type GitObject,
} from '@gitpg/git-pg-fs'
import type { RunningServer } from '@gitpg/server'
import { createHash } from 'node:crypto'
import { GIT_ENV, git } from './support/git-cli.ts'
import { fsckStrict } from './support/export-objects.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'
import { rawPush } from './support/raw-push.ts'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)
const KEY = 'receive-pack-test-key'
const ZERO = '0'.repeat(40)
const LIMIT = 1024 * 1024
let stack: TestStack
let tmp: string
let server: RunningServer
let store: PostgresStore

const remote = (project: string) => stack.remote(project)
const api = (method: string, path: string, body?: unknown) => stack.api(method, path, body)

const gitEnv = {
  GIT_AUTHOR_NAME: 'Ada',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
}

const emptyTree = makeObject('tree', Buffer.alloc(0))

const person = { name: 'Eve', email: 'eve@example.com', timestamp: 1700000000, timezoneOffset: 0 }

function commit(parents: string[], message: string, tree = EMPTY_TREE_OID, when = person) {
  return makeObject(
    'commit',
    serializeCommit({ tree, parents, author: when, committer: when, message }),
  )
}

/** A raw push with side-band on: the report-status lines and the side-band messages. */
const push = (project: string, commands: string[], pack: Buffer) =>
  rawPush({ server, apiKey: KEY, project, commands, pack, caps: 'report-status side-band-64k' })

const repoId = async (project: string) => (await store.getRepo(project))!.repoId
const objectCount = async (project: string) => store.countObjects(await repoId(project))

/** A pack of one ref delta: `size` bytes built by copying `base` (64 KiB) again and again. */
function deltaBomb(base: GitObject, size: number): Buffer {
  const ops: number[] = [...deltaVarint(base.content.length), ...deltaVarint(size)]
  // copy 0x10000 bytes from offset 0: size bytes absent mean 0x10000
  for (let done = 0; done < size; done += 0x10000) ops.push(0x80)
  const delta = Buffer.from(ops)
  const entry = Buffer.concat([
    entryHeader(7, delta.length),
    Buffer.from(base.oid, 'hex'),
    deflateSync(delta),
  ])
  const body = Buffer.concat([packHeader(1), entry])
  return Buffer.concat([body, createHash('sha1').update(body).digest()])
}

beforeAll(async () => {
  stack = await startTestStack({
    name: 'receive-pack',
    apiKey: KEY,
    env: { GITPG_MAX_OBJECT_SIZE: String(LIMIT), GITPG_MAX_HAVES: '50' },
  })
  ;({ tmp, server, store } = stack)
  const dir = join(tmp, 'seed')
  await git(tmp, ['init', '-q', '-b', 'main', dir])
  for (let i = 0; i < 3; i++) {
    await writeFile(join(dir, `f${i}.txt`), `file ${i}\n`)
    await git(dir, ['add', '.'])
    await git(dir, ['commit', '-q', '-m', `c${i}`], { env: gitEnv })
  }
  expect((await api('PUT', '/projects/victim', {})).status).toBe(201)
  await git(dir, ['push', '-q', remote('victim'), 'main'])
})

afterAll(() => stack?.close())

async function expectClonable(project: string, name: string) {
  const dir = join(tmp, name)
  await git(tmp, ['clone', '-q', remote(project), dir])
  await fsckStrict(dir)
}

describe('receive-pack with a commit whose parent exists nowhere', () => {
  it('refuses the push, keeps none of its objects, and no later ref change can point at it', async () => {
    const before = await objectCount('victim')
    const ghost = commit(['dead'.repeat(10)], 'orphan')
    const pushed = await push(
      'victim',
      [`${ZERO} ${ghost.oid} refs/heads/evil`],
      await writePack([emptyTree, ghost]),
    )
    expect(pushed.report).toEqual(['unpack ok', 'ng refs/heads/evil missing necessary objects'])
    expect(pushed.messages.join('')).toContain('missing necessary objects')
    expect(await objectCount('victim')).toBe(before)

    const branch = await api('POST', '/projects/victim/branches', { name: 'evil', from: ghost.oid })
    expect(branch.status).toBeGreaterThanOrEqual(400)
    expect(branch.status).toBeLessThan(500)
    const again = await push(
      'victim',
      [`${ZERO} ${ghost.oid} refs/heads/evil`],
      await writePack([]),
    )
    expect(again.report).toEqual(['unpack ok', 'ng refs/heads/evil bad pack'])
    expect(await objectCount('victim')).toBe(before)
    expect((await api('GET', '/projects/victim/branches')).status).toBe(200)
    await expectClonable('victim', 'after-ghost')
  })

  it('refuses a branch or a push onto a stored commit whose history is incomplete', async () => {
    // as left by an older version that kept a refused push's objects
    const ghost = commit(['beef'.repeat(10)], 'stored orphan')
    const id = await repoId('victim')
    await store.writeObjects(id, [ghost])
    const branch = await api('POST', '/projects/victim/branches', {
      name: 'evil2',
      from: ghost.oid,
    })
    expect(branch.status).toBe(422)
    expect(((await branch.json()) as { error: { code: string } }).error.code).toBe(
      'MISSING_OBJECTS',
    )
    const pushed = await push(
      'victim',
      [`${ZERO} ${ghost.oid} refs/heads/evil2`],
      await writePack([]),
    )
    expect(pushed.report).toEqual(['unpack ok', 'ng refs/heads/evil2 missing necessary objects'])
    // a good child of that commit is refused too: its history is not whole
    const child = commit([ghost.oid], 'child')
    const viaChild = await push(
      'victim',
      [`${ZERO} ${child.oid} refs/heads/evil2`],
      await writePack([emptyTree, child]),
    )
    expect(viaChild.report).toEqual(['unpack ok', 'ng refs/heads/evil2 missing necessary objects'])
    expect(await store.readRef(id, 'refs/heads/evil2')).toBeNull()
    await expectClonable('victim', 'after-stored-ghost')
  })

  it('still takes a connected push and a branch from a connected commit', async () => {
    const id = await repoId('victim')
    const head = (await store.readRef(id, 'refs/heads/main'))!.oid!
    const next = commit([head], 'next')
    const pushed = await push(
      'victim',
      [`${head} ${next.oid} refs/heads/main`],
      await writePack([emptyTree, next]),
    )
    expect(pushed.report).toEqual(['unpack ok', 'ok refs/heads/main'])
    expect(
      (await api('POST', '/projects/victim/branches', { name: 'good', from: head })).status,
    ).toBe(201)
    await expectClonable('victim', 'after-good')
  })
})

/** A raw tree of `[mode, name, id]` entries, in the order given. */
function rawTree(entries: [string, string, string][]): GitObject {
  const bytes = entries.map(([mode, name, oid]) =>
    Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(oid, 'hex')]),
  )
  return makeObject('tree', Buffer.concat(bytes))
}

describe('receive-pack follows the entries of pushed trees', () => {
  it('refuses a tree naming a blob that exists nowhere', async () => {
    const before = await objectCount('victim')
    const blob = makeObject('blob', Buffer.from('here\n'))
    const tree = rawTree([
      ['100644', 'a.txt', blob.oid],
      ['100644', 'b.txt', 'feed'.repeat(10)],
    ])
    const tip = commit([], 'hole', tree.oid)
    const pushed = await push(
      'victim',
      [`${ZERO} ${tip.oid} refs/heads/hole`],
      await writePack([blob, tree, tip]),
    )
    expect(pushed.report).toEqual(['unpack ok', 'ng refs/heads/hole missing necessary objects'])
    expect(await objectCount('victim')).toBe(before)
    expect(await store.readRef(await repoId('victim'), 'refs/heads/hole')).toBeNull()
  })

  it('takes a tree whose submodule commit lives elsewhere', async () => {
    const blob = makeObject('blob', Buffer.from('with a submodule\n'))
    const tree = rawTree([
      ['100644', 'a.txt', blob.oid],
      ['160000', 'sub', 'cafe'.repeat(10)],
    ])
    const tip = commit([], 'submodule', tree.oid)
    const pushed = await push(
      'victim',
      [`${ZERO} ${tip.oid} refs/heads/with-submodule`],
      await writePack([blob, tree, tip]),
    )
    expect(pushed.report).toEqual(['unpack ok', 'ok refs/heads/with-submodule'])
    const ref = await store.readRef(await repoId('victim'), 'refs/heads/with-submodule')
    expect(ref?.oid).toBe(tip.oid)
  })
})

describe('receive-pack size limits', () => {
  it('refuses an object over the limit from its header, with one line git shows', async () => {
    const before = await objectCount('victim')
    const blob = makeObject('blob', Buffer.alloc(LIMIT + 1))
    const { report, messages } = await push(
      'victim',
      [`${ZERO} ${blob.oid} refs/tags/big`],
      await writePack([blob]),
    )
    expect(report[0]).toBe(`unpack object is ${LIMIT + 1} bytes, more than the 1 MB limit`)
    expect(report[1]).toBe('ng refs/tags/big unpacker error')
    expect(messages.join('')).toContain('more than the 1 MB limit')
    expect(await objectCount('victim')).toBe(before)
  })

  it('refuses a 500 MiB object from its header alone, never inflating it', async () => {
    const before = await objectCount('victim')
    // the data after the header is not even zlib: only the declared size can refuse it
    const entry = Buffer.concat([entryHeader(3, 500 * 1024 * 1024), Buffer.from('not zlib')])
    const body = Buffer.concat([packHeader(1), entry])
    const pack = Buffer.concat([body, createHash('sha1').update(body).digest()])
    const { report } = await push('victim', [`${ZERO} ${'b'.repeat(40)} refs/tags/huge`], pack)
    expect(report[0]).toBe('unpack object is 524288000 bytes, more than the 1 MB limit')
    expect(await objectCount('victim')).toBe(before)
  })

  it('refuses a delta that would build an object over the limit', async () => {
    const id = await repoId('victim')
    const base = makeObject('blob', Buffer.alloc(0x10000, 7))
    await store.writeObjects(id, [base])
    const before = await objectCount('victim')
    const { report } = await push(
      'victim',
      [`${ZERO} ${ZERO.replace(/0/g, 'a')} refs/tags/bomb`],
      deltaBomb(base, 64 * LIMIT),
    )
    expect(report[0]).toBe(`unpack object is ${64 * LIMIT} bytes, more than the 1 MB limit`)
    expect(await objectCount('victim')).toBe(before)
  })

  it('shows stock git why a large file is refused', async () => {
    const dir = join(tmp, 'big-file')
    await git(tmp, ['clone', '-q', remote('victim'), dir])
    await writeFile(join(dir, 'big.bin'), Buffer.alloc(2 * LIMIT, 1))
    await git(dir, ['add', '.'])
    await git(dir, ['commit', '-q', '-m', 'big'], { env: gitEnv })
    const stderr = await run('git', ['-C', dir, 'push', 'origin', 'main'], { env: GIT_ENV }).then(
      () => '',
      (err: { stderr: string }) => err.stderr,
    )
    expect(stderr).toContain(`object is ${2 * LIMIT} bytes, more than the 1 MB limit`)
  })
})

describe('receive-pack errors reach git as one line without internals', () => {
  it('answers a commit dated past any database integer with a clean line', async () => {
    const id = await repoId('victim')
    const head = (await store.readRef(id, 'refs/heads/main'))!.oid!
    const before = await objectCount('victim')
    const text = serializeCommit({
      tree: EMPTY_TREE_OID,
      parents: [head],
      author: person,
      committer: person,
      message: 'far future\n',
    })
      .toString()
      .replace(/committer (.*) 1700000000 \+0000/, 'committer $1 99999999999999999999 +0000')
    const future = makeObject('commit', Buffer.from(text))
    const { report, messages } = await push(
      'victim',
      [`${head} ${future.oid} refs/heads/main`],
      await writePack([emptyTree, future]),
    )
    // refused by an object check when there is one, otherwise by the database: a generic line
    expect(report[0]).toMatch(/^unpack (internal error|.*date)/)
    expect(report[1]).toMatch(/^ng refs\/heads\/main /)
    for (const line of [...report, ...messages]) {
      expect(line.trimEnd()).not.toContain('\n')
      expect(line).not.toMatch(/bigint|out of range|RangeError|postgres|sql|at .*\.ts/i)
    }
    expect(await objectCount('victim')).toBe(before)
    expect((await store.readRef(id, 'refs/heads/main'))!.oid).toBe(head)
  })
})

describe('upload-pack negotiation', () => {
  const uploadPack = async (lines: Buffer[]) => {
    const res = await fetch(`${server.url}/git/victim.git/git-upload-pack`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`git:${KEY}`).toString('base64')}`,
        'Content-Type': 'application/x-git-upload-pack-request',
      },
      body: Buffer.concat(lines),
    })
    expect(res.status).toBe(200)
    return Buffer.from(await res.arrayBuffer())
  }

  it('considers only the first haves up to the limit and still sends a pack', async () => {
    const id = await repoId('victim')
    const head = (await store.readRef(id, 'refs/heads/main'))!.oid!
    const haves = Array.from({ length: 5000 }, (_, i) =>
      pktLine(`have ${createHash('sha1').update(String(i)).digest('hex')}\n`),
    )
    haves.push(pktLine(`have ${head}\n`))
    const body = await uploadPack([
      pktLine(`want ${head} multi_ack_detailed side-band-64k ofs-delta\n`),
      FLUSH,
      ...haves,
      pktLine('done\n'),
    ])
    const text = body.toString('latin1')
    // the one common commit came after the limit: not considered, so the whole history is sent
    expect(text).not.toContain(`ACK ${head} common`)
    expect(text).toContain('NAK')
    expect(text).toContain('PACK')
  })

  it('refuses too many wants with one ERR line', async () => {
    const wants = Array.from({ length: 100_001 }, () => pktLine(`want ${'1'.repeat(40)}\n`))
    const body = await uploadPack([...wants, FLUSH, pktLine('done\n')])
    expect(body.toString('latin1')).toMatch(/ERR upload-pack: more than 100000 want/)
  })

  it('bounds a deepen value far past any history', async () => {
    const id = await repoId('victim')
    const head = (await store.readRef(id, 'refs/heads/main'))!.oid!
    const body = await uploadPack([
      pktLine(`want ${head} side-band-64k\n`),
      pktLine('deepen 99999999999999999999\n'),
      FLUSH,
      pktLine('done\n'),
    ])
    expect(body.toString('latin1')).toContain('PACK')
  })
})
