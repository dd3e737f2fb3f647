import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { batchContent, createClient, pathBytesOf, type GitpgClient } from '../src/index.ts'
import { thrown } from './support/thrown.ts'
import { cloneStrict, git, gitOutput, splitZ } from '../../../test/support/git-cli.ts'
import { startTestStack, type TestStack } from '../../../test/support/test-stack.ts'

const KEY = 'client-test-key-0123456789'
const AUTHOR = { name: 'Ada Lovelace', email: 'ada@example.com' }
let stack: TestStack
let client: GitpgClient
let clones = 0

beforeAll(async () => {
  stack = await startTestStack({ name: 'client', apiKey: KEY })
  client = createClient({ baseUrl: stack.server.url, apiKey: KEY })
})
afterAll(() => stack?.close())

/** A fresh `git clone` of the project through the server's smart HTTP. */
const clone = (project: string) =>
  cloneStrict({ url: stack.remote(project), dir: join(stack.tmp, `clone-${clones++}`) })

const blobId = (content: Uint8Array) =>
  createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex')

describe('createClient against a running server', () => {
  it('health answers without a key', async () => {
    const anonymous = createClient({ baseUrl: `${stack.server.url}/` })
    expect(await anonymous.health()).toEqual({ status: 'ok', database: 'up' })
  })

  it('projects: create, create again, get, delete', async () => {
    const created = await client.projects.create('proj', { defaultBranch: 'trunk' })
    expect(created).toEqual({ id: 'proj', defaultBranch: 'trunk', head: null, remote: null })
    expect(await client.projects.create('proj')).toEqual(created)
    expect(await client.projects.get('proj')).toEqual(created)
    await client.projects.delete('proj')
    const gone = await thrown(client.projects.get('proj'))
    expect([gone.code, gone.status]).toEqual(['PROJECT_NOT_FOUND', 404])
  })

  it('files.write commits what git clones, by the given author', async () => {
    await client.projects.create('docs')
    const first = await client.files.write({
      project: 'docs',
      path: 'guide/intro.md',
      content: '# Intro\n',
      message: 'add intro',
      author: AUTHOR,
    })
    expect(first).toMatchObject({ branch: 'main', parent: null, path: 'guide/intro.md' })
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i)
    const second = await client.files.write({
      project: 'docs',
      path: 'bin/all-bytes.dat',
      content: binary,
      expectedHead: first.commit,
    })
    expect(second.parent).toBe(first.commit)
    const dir = await clone('docs')
    expect(await readFile(join(dir, 'guide/intro.md'), 'utf8')).toBe('# Intro\n')
    expect(new Uint8Array(await readFile(join(dir, 'bin/all-bytes.dat')))).toEqual(binary)
    expect(await gitOutput(dir, ['log', '--format=%H %an <%ae>'])).toBe(
      `${second.commit} gitpg <gitpg@localhost>\n${first.commit} Ada Lovelace <ada@example.com>\n`,
    )
    expect(await gitOutput(dir, ['log', '-1', '--format=%s', first.commit])).toBe('add intro\n')
  })

  it('files.read, readText and stream give the committed bytes', async () => {
    const big = new Uint8Array(3 * 1024 * 1024)
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251
    await client.files.write({ project: 'docs', path: 'big.bin', content: big })
    expect(await client.files.readText({ project: 'docs', path: 'guide/intro.md' })).toBe(
      '# Intro\n',
    )
    // compared as blob ids: a deep equality of 3 MiB element by element takes many seconds
    expect(blobId(await client.files.read({ project: 'docs', path: 'big.bin' }))).toBe(blobId(big))
    const streamed = await client.files.stream({ project: 'docs', path: 'big.bin' })
    expect(streamed.oid).toBe(blobId(big))
    expect(streamed.pending).toBe(false)
    expect(streamed.mode).toBe('100644')
    const chunks: Uint8Array[] = []
    const reader = streamed.body.getReader()
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value)
    expect(chunks.length).toBeGreaterThan(1)
    expect(blobId(Buffer.concat(chunks))).toBe(blobId(big))
  })

  it('files.list and files.batch agree with git', async () => {
    const dir = await clone('docs')
    const lsTree = splitZ(await gitOutput(dir, ['ls-tree', '-r', '-z', '--long', 'HEAD']))
    const listed = await client.files.list({ project: 'docs' })
    expect(listed.files.map((f) => `${f.mode} blob ${f.oid} ${f.size}\t${f.path}`)).toEqual(
      lsTree.map((line) => line.replace(/ +/g, ' ')),
    )
    const under = await client.files.list({ project: 'docs', prefix: 'guide' })
    expect(under.files.map((f) => f.path)).toEqual(['guide/intro.md'])
    const batch = await client.files.batch({
      project: 'docs',
      paths: ['guide/intro.md', 'bin/all-bytes.dat', 'nope.txt'],
    })
    expect(batch.files.map((f) => [f.path, f.encoding])).toEqual([
      ['guide/intro.md', 'utf8'],
      ['bin/all-bytes.dat', 'base64'],
    ])
    expect(batchContent(batch.files[0])).toEqual(new TextEncoder().encode('# Intro\n'))
    expect(batchContent(batch.files[1])).toEqual(Uint8Array.from({ length: 256 }, (_, i) => i))
    expect(batch.missing).toEqual(['nope.txt'])
  })

  it('encodes each path segment: reserved characters and names that are not UTF-8', async () => {
    const odd = 'odd dir/a b#1?x=%2F&.md'
    const latin1 = new Uint8Array([...new TextEncoder().encode('caf'), 0xe8, 0x2e, 0x74])
    await client.files.write({ project: 'docs', path: odd, content: 'odd\n' })
    await client.files.write({ project: 'docs', path: latin1, content: 'latin1\n' })
    expect(await client.files.readText({ project: 'docs', path: odd })).toBe('odd\n')
    expect(await client.files.readText({ project: 'docs', path: latin1 })).toBe('latin1\n')
    const { files } = await client.files.list({ project: 'docs' })
    const entry = files.find((f) => f.pathBytes !== undefined)!
    expect(pathBytesOf(entry)).toEqual(latin1)
    expect(files.map((f) => f.path)).toContain(odd)
    const dir = await clone('docs')
    const names = splitZ((await git(dir, ['ls-files', '-z'])).toString('latin1'))
    expect(names).toContain(Buffer.from(latin1).toString('latin1'))
    expect(names).toContain(odd)
    const batch = await client.files.batch({ project: 'docs', paths: [latin1, odd] })
    expect(batch.files.map((f) => pathBytesOf(f))).toEqual([latin1, new TextEncoder().encode(odd)])
  })

  it('refuses "." and ".." segments before sending anything', async () => {
    let sent = 0
    const counting = createClient({
      baseUrl: stack.server.url,
      apiKey: KEY,
      fetch: (input, init) => {
        sent++
        return fetch(input, init)
      },
    })
    const err = await thrown(counting.files.read({ project: 'docs', path: '../../projects/docs' }))
    expect([err.code, err.status]).toEqual(['INVALID_PATH', 400])
    expect(sent).toBe(0)
  })

  it('files.delete commits the deletion', async () => {
    const { commit } = await client.files.delete({
      project: 'docs',
      path: 'big.bin',
      message: 'drop big',
      author: AUTHOR,
    })
    const dir = await clone('docs')
    expect(await gitOutput(dir, ['log', '-1', '--format=%H %s', '--name-status'])).toBe(
      `${commit} drop big\n\nD\tbig.bin\n`,
    )
  })
})

describe('pending changes and commits', () => {
  const ada = { project: 'docs', userId: 'ada' }

  it('save, overlay read, list, precondition and commit', async () => {
    const saved = await client.pending.save({ ...ada, path: 'guide/intro.md', content: '# v2\n' })
    expect(saved).toMatchObject({ path: 'guide/intro.md', action: 'modified', size: 5 })
    expect(await client.files.readText({ ...ada, path: 'guide/intro.md' })).toBe('# v2\n')
    expect(await client.files.readText({ project: 'docs', path: 'guide/intro.md' })).toBe(
      '# Intro\n',
    )
    const again = await client.pending.save({
      ...ada,
      path: 'guide/intro.md',
      content: '# v3\n',
      ifMatch: saved.version,
    })
    const stale = await thrown(
      client.pending.save({ ...ada, path: 'guide/intro.md', content: 'x', ifMatch: saved.version }),
    )
    expect([stale.code, stale.status, stale.data.currentVersion]).toEqual([
      'PRECONDITION_FAILED',
      412,
      again.version,
    ])
    await client.pending.save({ ...ada, path: 'notes/new.md', content: 'new\n' })
    expect(
      new TextDecoder().decode(await client.pending.read({ ...ada, path: 'notes/new.md' })),
    ).toBe('new\n')
    const { changes } = await client.pending.list(ada)
    expect(changes.map((c) => [c.path, c.action])).toEqual([
      ['guide/intro.md', 'modified'],
      ['notes/new.md', 'created'],
    ])

    const head = (await client.projects.get('docs')).head!
    const created = await client.commits.create({
      ...ada,
      message: 'only the intro',
      author: AUTHOR,
      paths: ['guide/intro.md'],
      expectedHead: head,
    })
    expect(created).toMatchObject({ parent: head, paths: ['guide/intro.md'], branch: 'main' })
    expect((await client.pending.list(ada)).changes.map((c) => c.path)).toEqual(['notes/new.md'])
    const dir = await clone('docs')
    expect(await readFile(join(dir, 'guide/intro.md'), 'utf8')).toBe('# v3\n')
    expect(await gitOutput(dir, ['log', '-1', '--format=%H%n%an <%ae>%n%s'])).toBe(
      `${created.commit}\nAda Lovelace <ada@example.com>\nonly the intro\n`,
    )
    const moved = await thrown(
      client.commits.create({ ...ada, message: 'late', author: AUTHOR, expectedHead: head }),
    )
    expect([moved.code, moved.status, moved.data.head]).toEqual([
      'REF_CONFLICT',
      409,
      created.commit,
    ])
  })

  it('content may be a stream or a Blob as well as text or bytes', async () => {
    const parts = ['streamed ', 'in ', 'parts\n'].map((p) => new TextEncoder().encode(p))
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = parts.shift()
        if (next) controller.enqueue(next)
        else controller.close()
      },
    })
    await client.pending.save({ ...ada, path: 'streamed.md', content: body })
    await client.pending.save({ ...ada, path: 'blob.md', content: new Blob(['from a blob\n']) })
    const read = (path: string) => client.pending.read({ ...ada, path })
    expect(new TextDecoder().decode(await read('streamed.md'))).toBe('streamed in parts\n')
    expect(new TextDecoder().decode(await read('blob.md'))).toBe('from a blob\n')
    await client.pending.discard({ ...ada, path: 'streamed.md' })
    await client.pending.discard({ ...ada, path: 'blob.md' })
  })

  it('recordDeletion, discard and discardAll', async () => {
    const deletion = await client.pending.recordDeletion({ ...ada, path: 'guide/intro.md' })
    expect(deletion).toMatchObject({ path: 'guide/intro.md', action: 'deleted' })
    const hidden = await thrown(client.files.read({ ...ada, path: 'guide/intro.md' }))
    expect(hidden.status).toBe(404)
    await client.pending.discard({ ...ada, path: 'guide/intro.md' })
    expect(await client.files.readText({ ...ada, path: 'guide/intro.md' })).toBe('# v3\n')
    const missing = await thrown(client.pending.discard({ ...ada, path: 'guide/intro.md' }))
    expect([missing.code, missing.status]).toEqual(['PENDING_NOT_FOUND', 404])
    await client.pending.save({ ...ada, path: 'two.md', content: '2' })
    expect(await client.pending.discardAll(ada)).toEqual({ discarded: 2 })
    const nothing = await thrown(
      client.commits.create({ ...ada, message: 'empty', author: AUTHOR }),
    )
    expect([nothing.code, nothing.status]).toEqual(['NOTHING_TO_COMMIT', 422])
  })
})

describe('errors', () => {
  it('carry the code, status, message and data of the answer', async () => {
    await client.projects.create('docs')
    const wrongKey = createClient({ baseUrl: stack.server.url, apiKey: 'nope' })
    const unauthorized = await thrown(wrongKey.projects.get('docs'))
    expect([unauthorized.code, unauthorized.status]).toEqual(['UNAUTHORIZED', 401])
    const raw = await fetch(`${stack.server.url}/projects/docs`, {
      headers: { 'X-Internal-API-Key': 'nope' },
    })
    expect(unauthorized.message).toBe(
      ((await raw.json()) as { error: { message: string } }).error.message,
    )
    const invalid = await thrown(client.projects.create('bad id!'))
    expect([invalid.code, invalid.status]).toEqual(['VALIDATION_FAILED', 400])
    expect(invalid.data.issues).toEqual([expect.objectContaining({ field: 'projectId' })])
    const ref = await thrown(client.files.read({ project: 'docs', path: 'a.md', ref: 'nowhere' }))
    expect([ref.code, ref.status]).toEqual(['REF_NOT_FOUND', 404])
  })

  it('a server that cannot be reached is a NETWORK_ERROR with status 0', async () => {
    const { createServer } = await import('node:net')
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port
        s.close(() => resolve(p))
      })
    })
    const offline = createClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY })
    const err = await thrown(offline.health())
    expect([err.code, err.status]).toEqual(['NETWORK_ERROR', 0])
    expect(err.cause).toBeDefined()
  })
})
