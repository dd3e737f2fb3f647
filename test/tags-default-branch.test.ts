import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fsckStrict } from './support/export-objects.ts'
import { cloneStrict, git, gitOutput, lines } from './support/git-cli.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'

const KEY = 'tags-and-default-branch-key'
let stack: TestStack
const commits: string[] = []
let trunkHead: string

/** A request with the stack's key: status and parsed JSON body (null when empty). */
async function api(method: string, path: string, body?: unknown, raw?: string) {
  const res = await fetch(`${stack.server.url}${path}`, {
    method,
    headers: {
      'X-Internal-API-Key': KEY,
      'Content-Type': raw === undefined ? 'application/json' : 'text/plain',
    },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  })
  const text = await res.text()
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any }
}

const TAGGER = { name: 'Tess Tagger', email: 'tess@example.com', timestamp: 1_700_000_000 }
const MESSAGE = '  \n# a comment line\nRelease 1.0   \n\n\n\nwith notes\n\n'

beforeAll(async () => {
  stack = await startTestStack({ name: 'tags', apiKey: KEY })
  expect((await api('PUT', '/projects/p', {})).status).toBe(201)
  for (const n of [1, 2, 3]) {
    const res = await api('PUT', `/files/p/file.txt?message=c${n}`, undefined, `version ${n}\n`)
    expect(res.status).toBe(201)
    commits.push(res.body.commit)
  }
  const trunk = await api('POST', '/projects/p/branches', { name: 'trunk', from: commits[0] })
  expect(trunk.status).toBe(201)
  trunkHead = (await api('PUT', '/files/p/trunk.txt?branch=trunk', undefined, 'trunk\n')).body
    .commit
})
afterAll(() => stack?.close())

describe('tags', () => {
  it('creates lightweight and annotated tags; the annotated one byte for byte as git tag -a', async () => {
    const light = await api('POST', '/projects/p/tags', { name: 'v0.1', target: commits[0] })
    expect(light.status).toBe(201)
    expect(light.body).toEqual({
      name: 'v0.1',
      oid: commits[0],
      type: 'commit',
      target: commits[0],
      targetType: 'commit',
    })
    const annotated = await api('POST', '/projects/p/tags', {
      name: 'v1.0',
      target: commits[1],
      message: MESSAGE,
      tagger: { ...TAGGER, timezoneOffset: 90 },
    })
    expect(annotated.status).toBe(201)
    expect(annotated.body).toMatchObject({
      name: 'v1.0',
      type: 'tag',
      target: commits[1],
      message: 'Release 1.0\n\nwith notes\n',
      tagger: { ...TAGGER, timezoneOffset: 90 },
    })
    const onTrunk = await api('POST', '/projects/p/tags', { name: 'rel/2', message: '' })
    expect(onTrunk.body.target).toBe(commits[2])

    // git tag -a in a clone, with the same tagger and date, makes the same object
    const dir = await cloneStrict({ url: stack.remote('p'), dir: join(stack.tmp, 'tags') })
    await fsckStrict(dir)
    const env = {
      GIT_COMMITTER_NAME: TAGGER.name,
      GIT_COMMITTER_EMAIL: TAGGER.email,
      GIT_COMMITTER_DATE: `${TAGGER.timestamp} +0130`,
    }
    await git(dir, ['tag', '-a', '-m', MESSAGE, 'v1.0-git', commits[1]], { env })
    await git(dir, ['tag', '-d', 'v1.0'])
    await git(dir, ['tag', '-a', '-m', MESSAGE, 'v1.0', commits[1]], { env })
    expect((await gitOutput(dir, ['rev-parse', 'v1.0'])).trim()).toBe(annotated.body.oid)
    await git(dir, ['tag', '-a', '-m', '', 'rel/2-git', commits[2]], { env })
    const own = (await gitOutput(dir, ['cat-file', 'tag', 'rel/2'])).split('\n')
    const theirs = (await gitOutput(dir, ['cat-file', 'tag', 'rel/2-git'])).split('\n')
    // the same bytes but for the tag name and the tagger line
    expect(own.slice(4)).toEqual(theirs.slice(4))
    expect(own.slice(0, 2)).toEqual(theirs.slice(0, 2))
  })

  it('lists tags as git for-each-ref does, in a clone that git fsck --strict accepts', async () => {
    const listed = await api('GET', '/projects/p/tags')
    expect(listed.status).toBe(200)
    const dir = await cloneStrict({ url: stack.remote('p'), dir: join(stack.tmp, 'list') })
    await fsckStrict(dir)
    await git(dir, ['fsck', '--strict'])
    const format = '%(refname:strip=2) %(objectname) %(objecttype) %(*objectname)'
    const git_ = lines(await gitOutput(dir, ['for-each-ref', `--format=${format}`, 'refs/tags']))
    expect(
      listed.body.tags.map(
        (t: { name: string; oid: string; type: string; target: string }) =>
          `${t.name} ${t.oid} ${t.type} ${t.type === 'tag' ? t.target : ''}`,
      ),
    ).toEqual(git_)
    const shown = await gitOutput(dir, ['cat-file', '-p', 'v1.0'])
    expect(shown).toContain('tagger Tess Tagger <tess@example.com> 1700000000 +0130\n')
    expect(shown.endsWith('\n\nRelease 1.0\n\nwith notes\n')).toBe(true)
  })

  it('resolves an annotated tag as ref in reads, log, diff, grep and blame', async () => {
    const file = await fetch(`${stack.server.url}/files/p/file.txt?ref=v1.0`, {
      headers: { 'X-Internal-API-Key': KEY },
    })
    expect(await file.text()).toBe('version 2\n')
    const listing = await api('GET', '/files/p?ref=rel/2')
    expect(listing.body.files.map((f: { path: string }) => f.path)).toEqual(['file.txt'])
    const log = await api('GET', '/projects/p/log?ref=v1.0')
    expect(log.body.commits.map((c: { oid: string }) => c.oid)).toEqual([commits[1], commits[0]])
    const diff = await api('GET', '/projects/p/diff?from=v0.1&to=v1.0')
    expect(diff.body.changes.map((c: { path: string }) => c.path)).toEqual(['file.txt'])
    const branch = await api('POST', '/projects/p/branches', { name: 'from-tag', from: 'v1.0' })
    expect(branch.body.oid).toBe(commits[1])
    const batch = await api('POST', '/files/p/batch', { paths: ['file.txt'], ref: 'v1.0' })
    expect(batch.body.files[0].content).toBe('version 2\n')
    const commit = await api('GET', '/projects/p/commits/v1.0')
    expect(commit.body.oid).toBe(commits[1])
    const grep = await api('GET', '/projects/p/grep?pattern=version&ref=v1.0')
    expect(grep.body.matches.map((m: { text: string }) => m.text)).toEqual(['version 2'])
    const blame = await api('GET', '/projects/p/blame/file.txt?ref=v1.0')
    expect(blame.body.lines.map((l: { commit: string }) => l.commit)).toEqual([commits[1]])
  })

  it('refuses a tag that exists, one in the way, a bad name and an unknown target', async () => {
    const again = await api('POST', '/projects/p/tags', { name: 'v1.0' })
    expect([again.status, again.body.error.code]).toEqual([409, 'TAG_EXISTS'])
    const under = await api('POST', '/projects/p/tags', { name: 'v1.0/rc' })
    expect([under.status, under.body.error.code]).toEqual([409, 'TAG_EXISTS'])
    const over = await api('POST', '/projects/p/tags', { name: 'rel' })
    expect([over.status, over.body.error.code]).toEqual([409, 'TAG_EXISTS'])
    for (const name of ['bad..name', '-x', 'a.lock', 'sp ace', 'HEAD', 'x~1']) {
      const bad = await api('POST', '/projects/p/tags', { name })
      expect([bad.status, bad.body.error.code], name).toEqual([400, 'INVALID_REF_NAME'])
    }
    const unknown = await api('POST', '/projects/p/tags', { name: 'v9', target: 'nope' })
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'REF_NOT_FOUND'])
    const names = (await api('GET', '/projects/p/tags')).body.tags.map(
      (t: { name: string }) => t.name,
    )
    expect(names).toEqual(['rel/2', 'v0.1', 'v1.0'])
  })

  it('deletes a tag; the change feed shows tag changes like branch changes', async () => {
    expect((await api('DELETE', '/projects/p/tags/rel/2')).status).toBe(204)
    const gone = await api('DELETE', '/projects/p/tags/rel/2')
    expect([gone.status, gone.body.error.code]).toEqual([404, 'TAG_NOT_FOUND'])
    const remote = lines(await gitOutput(stack.tmp, ['ls-remote', '--tags', stack.remote('p')]))
    expect(remote.map((l) => l.split('\t')[1])).toEqual([
      'refs/tags/v0.1',
      'refs/tags/v1.0',
      'refs/tags/v1.0^{}',
    ])
    const feed = await api('GET', '/projects/p/changes')
    const refs = feed.body.changes
      .filter((e: { kind: string }) => e.kind === 'ref.updated')
      .map((e: { ref: string; to: string | null }) => ({ ref: e.ref, to: e.to }))
    expect(refs).toContainEqual(expect.objectContaining({ ref: 'refs/tags/v0.1', to: commits[0] }))
    expect(refs).toContainEqual(expect.objectContaining({ ref: 'refs/tags/rel/2', to: null }))
  })

  it('peels a tag of a tag that a push brings, and deletes an annotated tag', async () => {
    const dir = await cloneStrict({ url: stack.remote('p'), dir: join(stack.tmp, 'nested') })
    await git(dir, ['tag', '-a', '-m', 'outer', 'outer', 'v1.0'], {
      env: { GIT_COMMITTER_NAME: 'O', GIT_COMMITTER_EMAIL: 'o@example.com' },
    })
    await git(dir, ['push', '-q', 'origin', 'outer'])
    const outer = (await api('GET', '/projects/p/tags')).body.tags.find(
      (t: { name: string }) => t.name === 'outer',
    )
    expect(outer).toMatchObject({
      oid: (await gitOutput(dir, ['rev-parse', 'outer'])).trim(),
      type: 'tag',
      target: commits[1],
      targetType: 'commit',
      message: 'outer\n',
    })
    const file = await fetch(`${stack.server.url}/files/p/file.txt?ref=outer`, {
      headers: { 'X-Internal-API-Key': KEY },
    })
    expect(await file.text()).toBe('version 2\n')
    expect((await api('DELETE', '/projects/p/tags/outer')).status).toBe(204)
    expect((await api('DELETE', '/projects/p/tags/outer')).status).toBe(404)
  })

  it('documents the routes in /openapi.json', async () => {
    const doc = (await api('GET', '/openapi.json')).body
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/projects/{projectId}/tags', '/projects/{projectId}/tags/{name}']),
    )
    expect(Object.keys(doc.paths['/projects/{projectId}'])).toContain('patch')
  })
})

describe('PATCH /projects/:projectId', () => {
  it('changes the default branch: HEAD follows and a clone checks it out', async () => {
    const res = await api('PATCH', '/projects/p', { defaultBranch: 'trunk' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: 'p', defaultBranch: 'trunk', head: trunkHead })
    expect((await api('GET', '/projects/p')).body.defaultBranch).toBe('trunk')
    const symref = await gitOutput(stack.tmp, ['ls-remote', '--symref', stack.remote('p'), 'HEAD'])
    expect(symref).toContain('ref: refs/heads/trunk\tHEAD')
    const dir = await cloneStrict({ url: stack.remote('p'), dir: join(stack.tmp, 'trunk') })
    expect((await gitOutput(dir, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim()).toBe('trunk')
    expect((await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()).toBe(trunkHead)
    await fsckStrict(dir)
    // reads without a ref, and commits without a branch, go to the new default
    const files = await api('GET', '/files/p')
    expect(files.body.files.map((f: { path: string }) => f.path)).toEqual(['file.txt', 'trunk.txt'])
    const deleted = await api('DELETE', '/projects/p/branches/trunk')
    expect([deleted.status, deleted.body.error.code]).toEqual([409, 'DEFAULT_BRANCH'])
    expect((await api('DELETE', '/projects/p/branches/main')).status).toBe(204)
  })

  it('refuses a branch that does not exist or a bad name, and leaves HEAD alone', async () => {
    const missing = await api('PATCH', '/projects/p', { defaultBranch: 'nope' })
    expect([missing.status, missing.body.error.code]).toEqual([404, 'BRANCH_NOT_FOUND'])
    const bad = await api('PATCH', '/projects/p', { defaultBranch: 'a..b' })
    expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_REF_NAME'])
    const unknown = await api('PATCH', '/projects/nope', { defaultBranch: 'trunk' })
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'PROJECT_NOT_FOUND'])
    expect((await api('GET', '/projects/p')).body.defaultBranch).toBe('trunk')
    const symref = await gitOutput(stack.tmp, ['ls-remote', '--symref', stack.remote('p'), 'HEAD'])
    expect(symref).toContain('ref: refs/heads/trunk\tHEAD')
  })
})
