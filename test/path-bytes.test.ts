import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '@gitpg/server'
import { cloneStrict, git, gitOutput } from './support/git-cli.ts'
import { fsckStrict } from './support/export-objects.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'
import { runCli } from '../packages/server/test/support/run-cli.ts'

const KEY = 'path-bytes-test-key'
const PROJECT = 'latin'
const COMMITTER = {
  GIT_AUTHOR_NAME: 'Ada Lovelace',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Lovelace',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
  GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_DATE: '1700000000 +0000',
}

/** Names that are not UTF-8 (Latin-1), and their bytes. */
const latin1 = (s: string) => Buffer.from(s, 'latin1')
const E8 = latin1('caf\xe8.txt')
const E9 = latin1('caf\xe9.txt')
const DIR_FILE = latin1('d\xfcr/inner.txt')
const b64 = (b: Buffer) => b.toString('base64')
/** A path as a URL segment: every byte outside ASCII letters, digits and `/._-` percent-encoded. */
const urlPath = (b: Buffer) =>
  [...b]
    .map((x) =>
      /[\w/.-]/.test(String.fromCharCode(x))
        ? String.fromCharCode(x)
        : `%${x.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('')

let stack: TestStack
let tmp: string
let source: string
let server: RunningServer

async function call(method: string, path: string, body?: unknown) {
  const raw = typeof body === 'string'
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      'X-Internal-API-Key': KEY,
      'Content-Type': raw ? 'text/plain' : 'application/json',
    },
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  })
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
async function api(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(method, path, body)
  const text = await res.text()
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : {}
}

/** `git ls-tree -r -z` of a commit: each entry's path as its exact bytes (hex) and its blob id. */
async function treeBytes(dir: string, rev: string): Promise<Map<string, string>> {
  const out = await git(dir, ['ls-tree', '-r', '-z', rev])
  const entries = new Map<string, string>()
  let i = 0
  while (i < out.length) {
    const nul = out.indexOf(0, i)
    const tab = out.indexOf(0x09, i)
    const oid = out.toString('latin1', i, tab).split(' ')[2]
    entries.set(out.subarray(tab + 1, nul).toString('hex'), oid)
    i = nul + 1
  }
  return entries
}

beforeAll(async () => {
  stack = await startTestStack({ name: 'path-bytes', apiKey: KEY })
  ;({ tmp, server } = stack)
  source = join(tmp, 'source')
  await git(tmp, ['init', '-q', '-b', 'main', source])
  const put = (name: Buffer, content: string) => {
    const file = Buffer.concat([Buffer.from(`${source}/`), name])
    mkdirSync(file.subarray(0, file.lastIndexOf(0x2f)), { recursive: true })
    writeFileSync(file, content)
  }
  put(E8, 'e grave\n')
  put(E9, 'e acute\n')
  put(DIR_FILE, 'in a Latin-1 directory\n')
  put(Buffer.from('a.txt'), 'a\n')
  put(Buffer.from('caf\u00e9.txt'), 'UTF-8 e acute\n')
  await git(source, ['add', '-A'])
  await git(source, ['commit', '-q', '-m', 'Latin-1 names'], { env: COMMITTER })
  await api('PUT', `/projects/${PROJECT}`, {})
  await git(source, ['push', '-q', stack.remote(PROJECT), 'main'])
})

afterAll(() => stack?.close())

describe('names that are not UTF-8', () => {
  it('lists them with their bytes in pathBytes and U+FFFD in path', async () => {
    const { files } = await api('GET', `/files/${PROJECT}`)
    const byBytes = new Map(
      files.map((f: { path: string; pathBytes?: string }) => [
        f.pathBytes ?? b64(Buffer.from(f.path)),
        f,
      ]),
    )
    expect(files).toHaveLength(5)
    expect(byBytes.get(b64(E8))).toMatchObject({ path: 'caf\ufffd.txt', pathBytes: b64(E8) })
    expect(byBytes.get(b64(E9))).toMatchObject({ path: 'caf\ufffd.txt', pathBytes: b64(E9) })
    expect(byBytes.get(b64(DIR_FILE))).toMatchObject({ path: 'd\ufffdr/inner.txt' })
    expect(byBytes.get(b64(Buffer.from('caf\u00e9.txt')))).toEqual(
      expect.not.objectContaining({ pathBytes: expect.anything() }),
    )
    // git's order is by bytes: UTF-8 é (c3 a9) before e8, e9
    expect(files.map((f: { pathBytes?: string; path: string }) => f.pathBytes ?? f.path)).toEqual([
      'a.txt',
      'caf\u00e9.txt',
      b64(E8),
      b64(E9),
      b64(DIR_FILE),
    ])
    const under = await api('GET', `/files/${PROJECT}?prefix=${urlPath(latin1('d\xfcr'))}`)
    expect(under.files.map((f: { pathBytes: string }) => f.pathBytes)).toEqual([b64(DIR_FILE)])
  })

  it('reads each by its percent-encoded bytes in the URL', async () => {
    expect(await (await call('GET', `/files/${PROJECT}/${urlPath(E8)}`)).text()).toBe('e grave\n')
    expect(await (await call('GET', `/files/${PROJECT}/${urlPath(E9)}`)).text()).toBe('e acute\n')
    expect(await (await call('GET', `/files/${PROJECT}/${urlPath(DIR_FILE)}`)).text()).toBe(
      'in a Latin-1 directory\n',
    )
    expect(await (await call('GET', `/files/${PROJECT}/caf%C3%A9.txt`)).text()).toBe(
      'UTF-8 e acute\n',
    )
    // a literal "%E8" in a name is "%25E8" in the URL, and is another name
    expect((await call('GET', `/files/${PROJECT}/caf%25E8.txt`)).status).toBe(404)
    const missing = await call('GET', `/files/${PROJECT}/caf%EA.txt`)
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: unknown }).error).toMatchObject({
      code: 'PATH_NOT_FOUND',
      path: 'caf\ufffd.txt',
      pathBytes: b64(latin1('caf\xea.txt')),
    })
  })

  it('reads a batch named by pathBytes, and names the missing ones the same way', async () => {
    const gone = latin1('caf\xea.txt')
    const res = await api('POST', `/files/${PROJECT}/batch`, {
      paths: ['a.txt'],
      pathBytes: [b64(E8), b64(E9), b64(gone)],
    })
    expect(
      res.files.map((f: { pathBytes?: string; path: string; content: string }) => [
        f.pathBytes ?? f.path,
        f.content,
      ]),
    ).toEqual([
      ['a.txt', 'a\n'],
      [b64(E8), 'e grave\n'],
      [b64(E9), 'e acute\n'],
    ])
    expect(res.missing).toEqual(['caf\ufffd.txt'])
    expect(res.missingPathBytes).toEqual([b64(gone)])
  })

  it('commits an autosave of one and an unrelated file, leaving the other byte-exact', async () => {
    await api('PUT', `/pending/${PROJECT}/ada/${urlPath(E8)}`, 'e grave, edited\n')
    await api('PUT', `/pending/${PROJECT}/ada/a.txt`, 'a, edited\n')
    const { changes } = await api('GET', `/pending/${PROJECT}/ada`)
    expect(changes.map((c: { path: string; pathBytes?: string }) => c.pathBytes ?? c.path)).toEqual(
      ['a.txt', b64(E8)],
    )
    // stored as the name's bytes
    const db = new pg.Client({ connectionString: stack.database.url })
    await db.connect()
    try {
      const { rows } = await db.query(
        "SELECT encode(path, 'hex') AS hex FROM pending_changes WHERE user_id = 'ada' ORDER BY path",
      )
      expect(rows.map((r) => r.hex)).toEqual([
        Buffer.from('a.txt').toString('hex'),
        E8.toString('hex'),
      ])
    } finally {
      await db.end()
    }
    const pendingRead = await call('GET', `/files/${PROJECT}/${urlPath(E8)}?userId=ada`)
    expect(await pendingRead.text()).toBe('e grave, edited\n')
    const committed = await api('POST', `/projects/${PROJECT}/commits`, {
      userId: 'ada',
      message: 'edit through the API',
      author: { name: 'Ada Lovelace', email: 'ada@example.com' },
      paths: ['a.txt'],
      pathBytes: [b64(E8)],
    })
    expect(committed.paths).toEqual(['a.txt', 'caf\ufffd.txt'])
    expect(committed.pathBytes).toEqual([null, b64(E8)])
    expect((await api('GET', `/pending/${PROJECT}/ada`)).changes).toEqual([])

    // the same change made by git gives the same tree
    const apiCommit = await api('GET', `/projects/${PROJECT}/commits/${committed.commit}`)
    writeFileSync(Buffer.concat([Buffer.from(`${source}/`), E8]), 'e grave, edited\n')
    writeFileSync(join(source, 'a.txt'), 'a, edited\n')
    await git(source, ['add', '-A'])
    expect((await gitOutput(source, ['write-tree'])).trim()).toBe(apiCommit.tree)
    expect(
      apiCommit.changes.map((c: { path: string; pathBytes?: string }) => c.pathBytes ?? c.path),
    ).toEqual(['a.txt', b64(E8)])

    // history and diff by a path that is not UTF-8
    const log = await api('GET', `/projects/${PROJECT}/log?path=${urlPath(E8)}`)
    expect(log.commits).toHaveLength(2)
    const other = await api('GET', `/projects/${PROJECT}/log?path=${urlPath(E9)}`)
    expect(other.commits).toHaveLength(1)
    const diff = await api(
      'GET',
      `/projects/${PROJECT}/diff?from=${committed.parent}&to=${committed.commit}&path=${urlPath(E8)}`,
    )
    expect(diff.changes).toEqual([
      expect.objectContaining({ path: 'caf\ufffd.txt', pathBytes: b64(E8), status: 'M' }),
    ])
    const patch = await (
      await call('GET', `/projects/${PROJECT}/diff?from=${committed.parent}&format=patch`)
    ).text()
    expect(patch).toContain('diff --git "a/caf\\350.txt" "b/caf\\350.txt"')
  })

  it('puts a file into a directory whose name is not UTF-8, by URL', async () => {
    const name = latin1('d\xfcr/new.txt')
    const res = await api('PUT', `/files/${PROJECT}/${urlPath(name)}?message=new`, 'new\n')
    expect(res).toMatchObject({ path: 'd\ufffdr/new.txt', pathBytes: b64(name) })
  })

  it('clones with every name byte-exact, and git fsck --strict is clean', async () => {
    const dir = await cloneStrict({ url: stack.remote(PROJECT), dir: join(tmp, 'clone') })
    await fsckStrict(dir)
    const names = [...(await treeBytes(dir, 'HEAD')).keys()].map((h) => Buffer.from(h, 'hex'))
    expect(names.map((n) => n.toString('latin1'))).toEqual([
      'a.txt',
      'caf\u00c3\u00a9.txt',
      'caf\xe8.txt',
      'caf\xe9.txt',
      'd\xfcr/inner.txt',
      'd\xfcr/new.txt',
    ])
    const e9 = (await treeBytes(dir, 'HEAD')).get(E9.toString('hex'))
    expect(e9).toBe((await treeBytes(source, 'HEAD')).get(E9.toString('hex')))
  })

  it('imports the project byte-exact, and exports it as a bundle git clones', async () => {
    await api('POST', '/projects/copy/import', {
      url: `${server.url}/git/${PROJECT}.git`,
      token: KEY,
    })
    const { files } = await api('GET', '/files/copy')
    expect(files.filter((f: { pathBytes?: string }) => f.pathBytes)).toHaveLength(4)
    expect(await (await call('GET', `/files/copy/${urlPath(E9)}`)).text()).toBe('e acute\n')
    const bundle = await call('GET', '/projects/copy/export.bundle')
    expect(bundle.status).toBe(200)
    const file = join(tmp, 'copy.bundle')
    writeFileSync(file, Buffer.from(await bundle.arrayBuffer()))
    const dir = join(tmp, 'from-bundle')
    await git(tmp, ['clone', '-q', file, dir])
    await fsckStrict(dir)
    expect([...(await treeBytes(dir, 'HEAD'))]).toEqual([
      ...(await treeBytes(join(tmp, 'clone'), 'HEAD')),
    ])
  })

  it('exports with gitpg export: a checkout whose file names are the exact bytes', async () => {
    const dir = join(tmp, 'exported')
    const { code } = await runCli({
      args: ['export', PROJECT, dir],
      env: { DATABASE_URL: stack.database.url },
    })
    expect(code).toBe(0)
    await fsckStrict(dir)
    const names = readdirSync(dir, { encoding: 'buffer' }).map((n) => n.toString('latin1'))
    expect(names.sort()).toEqual([
      '.git',
      'a.txt',
      'caf\u00c3\u00a9.txt',
      'caf\xe8.txt',
      'caf\xe9.txt',
      'd\xfcr',
    ])
    const e8 = readFileSync(Buffer.concat([Buffer.from(`${dir}/`), E8]), 'utf8')
    expect(e8).toBe('e grave, edited\n')
    expect(await gitOutput(dir, ['status', '--porcelain'])).toBe('')
  })

  it('reports pending changes in the change feed with their bytes', async () => {
    await api('PUT', `/pending/${PROJECT}/bob/${urlPath(E9)}`, 'bob\n')
    const { changes } = await api('GET', `/projects/${PROJECT}/changes`)
    const saved = changes.filter(
      (e: { kind: string; userId: string }) => e.kind === 'pending.saved' && e.userId === 'bob',
    )
    expect(saved).toEqual([expect.objectContaining({ path: 'caf\ufffd.txt', pathBytes: b64(E9) })])
    await api('DELETE', `/pending/${PROJECT}/bob/${urlPath(E9)}`)
    expect((await api('GET', `/pending/${PROJECT}/bob`)).changes).toEqual([])
  })
})
