import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

/** One pending change, as the test saves it through the API and applies it to a work tree. */
type Edit = { path: Buffer; content: Buffer | null }

const edit = (path: string | Buffer, content: string | Buffer | null): Edit => ({
  path: Buffer.isBuffer(path) ? path : Buffer.from(path),
  content: typeof content === 'string' ? Buffer.from(content) : content,
})

const NON_UTF8 = Buffer.from('caf\xe8.txt', 'latin1')

/**
 * Ada's pending changes, in the order a client saves them: creations, modifications (one of an
 * executable, one of a binary), a deletion, a file turned into a folder (`lib`), a folder
 * turned into a file (`docs/old`), and a creation whose name is not UTF-8.
 */
const ADA: Edit[] = [
  edit('new.txt', 'brand new\n'),
  edit('src/c.ts', 'export const c = 3\n'),
  edit('newdir/deep/n.txt', 'deep\n'),
  edit('README.md', '# readme\n\nchanged line\nmore\n'),
  edit('tool.sh', '#!/bin/sh\necho changed\n'),
  edit('img.bin', Buffer.from([0, 1, 2, 3, 9, 9, 9])),
  edit('src/b.ts', null),
  edit('lib', null),
  edit('lib/index.ts', 'export {}\n'),
  edit('docs/old/x.md', null),
  edit('docs/old/y.md', null),
  edit('docs/old', 'now a file\n'),
  edit(NON_UTF8, 'bytes\n'),
]

let t: TestApp
let repo: GitFixture
let work: string

const urlPath = (path: Buffer) =>
  [...path]
    .map((b) => (b < 0x80 && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16)}`))
    .join('')

async function save(userId: string, e: Edit) {
  const res =
    e.content === null
      ? await t.call('POST', `/pending/p/${userId}/delete/${urlPath(e.path)}`)
      : await t.call('PUT', `/pending/p/${userId}/${urlPath(e.path)}`, { body: e.content })
  expect(res.status, `${e.path.toString('latin1')}: ${await res.text()}`).toBe(200)
}

/** Runs git in the work tree; output as latin1, so any bytes survive. */
const wt = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: work,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: work, LC_ALL: 'C' },
    maxBuffer: 64 * 1024 * 1024,
  }).toString('latin1')

/** `git ls-tree -r -l` of the work tree's index as `{ path, oid, mode, size }` (paths latin1). */
function gitListing(prefix?: string) {
  const tree = wt('write-tree').trim()
  const out = wt(
    'ls-tree',
    '-r',
    '-l',
    '-z',
    '--full-tree',
    tree,
    ...(prefix ? ['--', prefix] : []),
  )
  return out
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = line.split('\t')
      const [mode, , oid, size] = meta.split(/ +/)
      return { path, oid, mode, size: Number(size) }
    })
}

/** `git diff --cached --raw` of the work tree as the API's JSON changes (paths latin1). */
function gitChanges(...paths: string[]) {
  const out = wt('diff', '--cached', '--raw', '--no-renames', '--no-abbrev', '-z', '--', ...paths)
  const parts = out.split('\0').filter(Boolean)
  const changes = []
  for (let i = 0; i < parts.length; i += 2) {
    const [oldMode, newMode, oldOid, newOid, status] = parts[i].slice(1).split(' ')
    const none = (mode: string, oid: string) => (mode === '000000' ? null : oid)
    changes.push({
      path: parts[i + 1],
      status,
      oldOid: none(oldMode, oldOid),
      newOid: none(newMode, newOid),
      oldMode: oldMode === '000000' ? null : oldMode,
      newMode: newMode === '000000' ? null : newMode,
    })
  }
  return changes
}

/** The API's path as bytes read latin1 (the base64 `pathBytes` when it is not UTF-8). */
const latin1Path = (f: { path: string; pathBytes?: string }) =>
  f.pathBytes
    ? Buffer.from(f.pathBytes, 'base64').toString('latin1')
    : Buffer.from(f.path).toString('latin1')

/** The patch sections of a diff, one per file, keyed by the `diff --git` line. */
function sections(patch: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of patch.split(/^(?=diff --git )/m).filter(Boolean))
    out.set(part.slice(0, part.indexOf('\n')), part)
  return out
}

beforeAll(async () => {
  repo = new GitFixture()
  repo.write('README.md', '# readme\n\nold line\nmore\n')
  repo.write('src/a.ts', 'export const a = 1\n')
  repo.write('src/b.ts', 'export const b = 2\n')
  repo.write('tool.sh', '#!/bin/sh\necho old\n', { executable: true })
  repo.write('docs/guide.md', 'guide\n')
  repo.write('docs/old/x.md', 'x\n')
  repo.write('docs/old/y.md', 'y\n')
  repo.write('lib', 'lib was a file\n')
  repo.write('img.bin', Buffer.from([0, 1, 2, 3]))
  // byte order: 0xE8 (not UTF-8) sorts before U+F000 (EF 80 80), not after it as U+FFFD would
  writeFileSync(Buffer.concat([Buffer.from(`${repo.dir}/`), Buffer.from('z\xe8', 'latin1')]), 'a')
  repo.write('z\uf000', 'b')
  repo.commit('base')
  t = await createTestApp()
  await loadFixture(t, 'p', repo)
  for (const e of ADA) await save('ada', e)

  // the same changes in a real work tree, staged
  work = mkdtempSync(join(tmpdir(), 'gitpg-userview-'))
  execFileSync('git', ['clone', '-q', repo.dir, work])
  for (const e of ADA) {
    const file = Buffer.concat([Buffer.from(`${work}/`), e.path])
    if (e.content === null) unlinkSync(file)
    else {
      mkdirSync(dirname(file.toString('latin1')), { recursive: true })
      // a directory whose files were all deleted is still there, empty: git tracks none
      if (existsSync(file) && statSync(file).isDirectory()) rmSync(file, { recursive: true })
      writeFileSync(file, e.content)
    }
  }
  wt('add', '-A')
})
afterAll(async () => {
  repo?.cleanup()
  if (work) rmSync(work, { recursive: true, force: true })
  await t?.close()
})

describe('GET /files/:projectId?userId=', () => {
  it("lists what git's index holds once the pending changes are applied", async () => {
    const res = await t.callJson('GET', '/files/p?userId=ada')
    expect(res.status).toBe(200)
    type Listed = { path: string; pathBytes?: string; oid: string; mode: string; size: number }
    const ours = res.body.files.map((f: Listed) => ({
      path: latin1Path(f),
      oid: f.oid,
      mode: f.mode,
      size: f.size,
    }))
    expect(ours).toEqual(gitListing())
    const byPath = new Map(
      res.body.files.map((f: { path: string; pending: boolean }) => [f.path, f.pending]),
    )
    expect(byPath.get('new.txt')).toBe(true)
    expect(byPath.get('README.md')).toBe(true)
    expect(byPath.get('src/a.ts')).toBe(false)
    expect(byPath.has('src/b.ts')).toBe(false)
    expect(byPath.get('lib/index.ts')).toBe(true)
    expect(byPath.has('lib')).toBe(false)
    expect(byPath.get('docs/old')).toBe(true)
    expect(byPath.has('docs/old/x.md')).toBe(false)
  })

  it('keeps the committed listing (no pending marker) without userId', async () => {
    const res = await t.callJson('GET', '/files/p')
    expect(res.body.files.map((f: { path: string }) => f.path)).toEqual([
      'README.md',
      'docs/guide.md',
      'docs/old/x.md',
      'docs/old/y.md',
      'img.bin',
      'lib',
      'src/a.ts',
      'src/b.ts',
      'tool.sh',
      'z\ufffd',
      'z\uf000',
    ])
    expect(res.body.files[0].pending).toBeUndefined()
  })

  it('lays the changes over a prefix, a pending folder and a pending file', async () => {
    for (const prefix of ['src', 'docs', 'docs/old', 'lib', 'newdir', 'newdir/deep/n.txt']) {
      const res = await t.callJson('GET', `/files/p?userId=ada&prefix=${prefix}`)
      expect(res.status).toBe(200)
      const ours = res.body.files.map((f: { path: string; oid: string; mode: string }) => ({
        path: f.path,
        oid: f.oid,
        mode: f.mode,
      }))
      const git = gitListing(prefix).map(({ path, oid, mode }) => ({ path, oid, mode }))
      expect(ours, prefix).toEqual(git)
    }
  })

  it('shows another user the committed files only', async () => {
    const res = await t.callJson('GET', '/files/p?userId=bob')
    const plain = await t.callJson('GET', '/files/p')
    expect(res.body.files.map((f: { path: string }) => f.path)).toEqual(
      plain.body.files.map((f: { path: string }) => f.path),
    )
    expect(res.body.files.every((f: { pending: boolean }) => f.pending === false)).toBe(true)
  })

  it('refuses a view past GITPG_LIST_MAX_FILES with LISTING_TOO_LARGE', async () => {
    const small = await createTestApp({ config: { readLimits: { listMaxFiles: 3 } } })
    try {
      await small.callJson('PUT', '/projects/q')
      for (const name of ['a', 'b', 'c'])
        await small.call('PUT', `/pending/q/ada/${name}.txt`, { body: name })
      expect((await small.callJson('GET', '/files/q?userId=ada')).body.files).toHaveLength(3)
      await small.call('PUT', '/pending/q/ada/d.txt', { body: 'd' })
      const res = await small.callJson('GET', '/files/q?userId=ada')
      expect(res.status).toBe(422)
      expect(res.body.error.code).toBe('LISTING_TOO_LARGE')
    } finally {
      await small.close()
    }
  })
})

describe('GET /pending/:projectId/:userId/diff', () => {
  it('lists the changes git diff --cached shows in the work tree', async () => {
    const res = await t.callJson('GET', '/pending/p/ada/diff')
    expect(res.status).toBe(200)
    expect(res.body.base).toBe(repo.git('rev-parse', 'HEAD').trim())
    const ours = res.body.changes.map((c: { path: string; pathBytes?: string }) => ({
      ...c,
      path: latin1Path(c),
      pathBytes: undefined,
    }))
    expect(ours.map((c: object) => JSON.parse(JSON.stringify(c)))).toEqual(gitChanges())
    expect(ours.map((c: { status: string }) => c.status)).toContain('A')
  })

  it('narrows to a path as git diff -- <path> does', async () => {
    for (const path of ['docs', 'docs/old', 'lib', 'src/b.ts', 'nothing/here']) {
      const res = await t.callJson('GET', `/pending/p/ada/diff?path=${path}`)
      expect(res.status).toBe(200)
      expect(res.body.changes, path).toEqual(gitChanges(path))
    }
  })

  it('writes the patch git diff --cached --binary writes, and it applies to the base', async () => {
    const res = await t.call('GET', '/pending/p/ada/diff?format=patch')
    expect(res.status).toBe(200)
    const patch = Buffer.from(await res.arrayBuffer()).toString('latin1')
    const git = sections(wt('diff', '--cached', '--binary', '--no-renames', '--no-color'))
    const ours = sections(patch)
    expect([...ours.keys()]).toEqual([...git.keys()])
    for (const [head, text] of git) {
      if (text.includes('GIT binary patch\n')) {
        const upTo = (s: string) => s.slice(0, s.indexOf('GIT binary patch\n'))
        expect(upTo(ours.get(head)!), head).toBe(upTo(text))
      } else expect(ours.get(head), head).toBe(text)
    }
    // applied to a checkout of the base, the patch gives the tree the work tree's index holds
    const check = mkdtempSync(join(tmpdir(), 'gitpg-userview-apply-'))
    try {
      execFileSync('git', ['clone', '-q', repo.dir, check])
      const file = `${check}.patch`
      writeFileSync(file, patch, 'latin1')
      execFileSync('git', ['apply', '--index', file], { cwd: check })
      rmSync(file)
      const tree = execFileSync('git', ['write-tree'], { cwd: check }).toString().trim()
      expect(tree).toBe(wt('write-tree').trim())
    } finally {
      rmSync(check, { recursive: true, force: true })
    }
  })

  it('is empty for a user with nothing pending, and 404 for an unknown project', async () => {
    const none = await t.callJson('GET', '/pending/p/bob/diff')
    expect(none.body.changes).toEqual([])
    const patch = await t.call('GET', '/pending/p/bob/diff?format=patch')
    expect(await patch.text()).toBe('')
    const missing = await t.callJson('GET', '/pending/nope/ada/diff')
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('PROJECT_NOT_FOUND')
  })

  it('documents the diff route and the userId of the listing in /openapi.json', async () => {
    const doc = (await t.callJson('GET', '/openapi.json')).body
    expect(doc.paths['/pending/{projectId}/{userId}/diff'].get).toBeDefined()
    const params = doc.paths['/files/{projectId}'].get.parameters.map(
      (p: { name: string }) => p.name,
    )
    expect(params).toContain('userId')
  })

  it('lays the pending version over a branch that moved under it', async () => {
    // carol creates under `moved/`, then a commit puts a file at `moved`
    await t.call('PUT', '/pending/p/carol/moved/new.txt', { body: 'mine\n' })
    await t.call('PUT', '/pending/p/carol/src/a.ts', { body: 'carol\n' })
    expect((await t.call('PUT', '/files/p/moved', { body: 'theirs\n' })).status).toBe(201)
    const files = await t.callJson('GET', '/files/p?userId=carol')
    const paths = files.body.files.map((f: { path: string }) => f.path)
    expect(paths).toContain('moved/new.txt')
    expect(paths).not.toContain('moved')
    const diff = await t.callJson('GET', '/pending/p/carol/diff')
    expect(
      diff.body.changes.map((c: { path: string; status: string }) => `${c.status} ${c.path}`),
    ).toEqual(['D moved', 'A moved/new.txt', 'M src/a.ts'])
    // ada's diff is against the new head: `moved` is not hers to show
    const ada = await t.callJson('GET', '/pending/p/ada/diff?path=moved')
    expect(ada.body.changes).toEqual([])
  })
})
