import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type GitpgClient, type GitpgError } from '../src/index.ts'
import { thrown } from './support/thrown.ts'
import { cloneStrict, gitOutput, lines } from '../../../test/support/git-cli.ts'
import { startTestStack, type TestStack } from '../../../test/support/test-stack.ts'

/**
 * The methods for code intelligence, refs, the user's own view and keys: grep, blame, tags,
 * the default branch, the pending diff, the overlay listing, renames and scoped keys.
 */

const KEY = 'client-contract-key-0123456789'
const AUTHOR = { name: 'Ada', email: 'ada@example.com' }
const P = 'cr'
let stack: TestStack
let client: GitpgClient
let clones = 0

const clone = (args: string[] = []) =>
  cloneStrict({ url: stack.remote(P), dir: join(stack.tmp, `clone-${clones++}`), args })

beforeAll(async () => {
  stack = await startTestStack({ name: 'client-contract', apiKey: KEY })
  client = createClient({ baseUrl: stack.server.url, apiKey: KEY })
  await client.projects.create(P)
  await client.files.write({
    project: P,
    path: 'src/a.ts',
    content: 'const hello = 1\nHello world\nbye\n',
    author: AUTHOR,
  })
  await client.files.write({ project: P, path: 'README.md', content: '# Hello\nhello again\n' })
  await client.files.write({
    project: P,
    path: 'src/a.ts',
    content: 'const hello = 2\nHello world\nbye now\n',
  })
})
afterAll(() => stack?.close())

/** `git grep -n` output (`HEAD:path:line:text`) as matches. */
const grepLines = (output: string) =>
  lines(output).map((l) => {
    const [, path, line, text] = /^HEAD:([^:]*):(\d+):(.*)$/.exec(l)!
    return { path, line: Number(line), text }
  })

describe('code intelligence, refs, the user view and keys', () => {
  it('grep agrees with git grep', async () => {
    const dir = await clone()
    const found = async (query: Parameters<GitpgClient['grep']>[0]) =>
      (await client.grep(query)).matches.map(({ path, line, text }) => ({ path, line, text }))
    expect(await found({ project: P, pattern: 'hello' })).toEqual(
      grepLines(await gitOutput(dir, ['grep', '-n', '-I', '-F', '-e', 'hello', 'HEAD'])),
    )
    expect(await found({ project: P, pattern: 'hello', ignoreCase: true, path: 'src' })).toEqual(
      grepLines(
        await gitOutput(dir, ['grep', '-n', '-I', '-i', '-F', '-e', 'hello', 'HEAD', '--', 'src']),
      ),
    )
    expect(await found({ project: P, pattern: 'b[y]e( now)?$', regex: true })).toEqual(
      grepLines(await gitOutput(dir, ['grep', '-n', '-I', '-E', '-e', 'b[y]e( now)?$', 'HEAD'])),
    )
    const page = await client.grep({ project: P, pattern: 'hello', ignoreCase: true, limit: 1 })
    expect(page.matches).toHaveLength(1)
    expect(page.next).not.toBeNull()
  })

  it('blame agrees with git blame --porcelain', async () => {
    const dir = await clone()
    const porcelain = lines(
      await gitOutput(dir, ['blame', '--porcelain', 'HEAD', '--', 'src/a.ts']),
    )
    const expected = porcelain
      .map((l) => /^([0-9a-f]{40}) (\d+) (\d+)/.exec(l))
      .filter((m) => m !== null)
      .map((m) => ({ commit: m[1], origLine: Number(m[2]), line: Number(m[3]) }))
    const blame = await client.blame({ project: P, path: 'src/a.ts' })
    expect(blame.lines.map(({ commit, origLine, line }) => ({ commit, origLine, line }))).toEqual(
      expected,
    )
    const range = await client.blame({ project: P, path: 'src/a.ts', start: 2, end: 2 })
    expect(range.lines.map((l) => l.line)).toEqual([2])
    expect(blame.commits[expected[1].commit].author.name).toBe('Ada')
  })

  it('tags: lightweight and annotated, as git sees them', async () => {
    const head = (await client.projects.get(P)).head!
    const light = await client.tags.create({ project: P, name: 'v1' })
    expect(light).toMatchObject({ name: 'v1', oid: head, target: head })
    const annotated = await client.tags.create({
      project: P,
      name: 'v2',
      message: 'Release 2\n',
      tagger: { name: 'Ada', email: 'ada@example.com' },
    })
    expect(annotated).toMatchObject({ name: 'v2', type: 'tag', target: head })
    const dir = await clone()
    expect(await gitOutput(dir, ['tag', '-l'])).toBe('v1\nv2\n')
    expect(await gitOutput(dir, ['cat-file', '-t', 'v2'])).toBe('tag\n')
    expect((await gitOutput(dir, ['rev-parse', 'v2'])).trim()).toBe(annotated.oid)
    const exists = await thrown(client.tags.create({ project: P, name: 'v1' }))
    expect(exists.status).toBe(409)
    await client.tags.delete({ project: P, name: 'v1' })
    expect((await client.tags.list({ project: P })).tags.map((t) => t.name)).toEqual(['v2'])
  })

  it('projects.update moves the default branch', async () => {
    await client.branches.create({ project: P, name: 'dev' })
    expect(await client.projects.update(P, { defaultBranch: 'dev' })).toMatchObject({
      defaultBranch: 'dev',
    })
    const dir = await clone()
    expect(await gitOutput(dir, ['branch', '--show-current'])).toBe('dev\n')
    const missing = await thrown(client.projects.update(P, { defaultBranch: 'nope' }))
    expect(missing.status).toBe(404)
    await client.projects.update(P, { defaultBranch: 'main' })
  })

  it('pending.diff, pending.patch and the overlay listing', async () => {
    const ada = { project: P, userId: 'ada' }
    await client.pending.save({ ...ada, path: 'README.md', content: '# Hello there\n' })
    await client.pending.save({ ...ada, path: 'new.md', content: 'new\n' })
    const diff = await client.pending.diff(ada)
    expect(diff.changes.map((c) => [c.path, c.status])).toEqual([
      ['README.md', 'M'],
      ['new.md', 'A'],
    ])
    const dir = await clone()
    await writeFile(join(dir, 'README.md'), '# Hello there\n')
    await writeFile(join(dir, 'new.md'), 'new\n')
    await gitOutput(dir, ['add', '-N', 'new.md'])
    expect(await client.pending.patch(ada)).toBe(await gitOutput(dir, ['diff']))
    const listed = await client.files.list({ ...ada })
    expect(listed.files.find((f) => f.path === 'new.md')).toMatchObject({ size: 4, pending: true })
    await client.pending.discardAll(ada)
  })

  it('diff with renames and log with follow', async () => {
    const ada = { project: P, userId: 'ada' }
    const before = (await client.projects.get(P)).head!
    const content = await client.files.read({ project: P, path: 'src/a.ts' })
    await client.pending.save({ ...ada, path: 'src/b.ts', content })
    await client.pending.recordDeletion({ ...ada, path: 'src/a.ts' })
    await client.commits.create({ ...ada, message: 'rename', author: AUTHOR })
    const diff = await client.diff({ project: P, from: before, renames: true })
    expect(diff.changes).toEqual([
      expect.objectContaining({ status: 'R', path: 'src/b.ts', oldPath: 'src/a.ts' }),
    ])
    const dir = await clone()
    const followed = await client.log({ project: P, path: 'src/b.ts', follow: true })
    expect(followed.commits.map((c) => c.oid)).toEqual(
      lines(await gitOutput(dir, ['log', '--follow', '--format=%H', '--', 'src/b.ts'])),
    )
  })

  it('keys: a read key reads its project only, and stops working once revoked', async () => {
    await client.projects.create('elsewhere')
    const { id, key } = await client.keys.create({ projects: [P], scope: 'read' })
    const reader = createClient({ baseUrl: stack.server.url, apiKey: key })
    expect(await reader.files.readText({ project: P, path: 'README.md' })).toBe(
      '# Hello\nhello again\n',
    )
    const write = await thrown(
      reader.pending.save({ project: P, userId: 'r', path: 'x.md', content: 'x' }),
    )
    expect([write.code, write.status]).toEqual(['FORBIDDEN', 403])
    const hidden = await thrown(reader.projects.get('elsewhere'))
    expect([hidden.code, hidden.status]).toEqual(['PROJECT_NOT_FOUND', 404])
    expect((await client.keys.list()).keys.map((k) => k.id)).toContain(id)
    expect(await client.keys.revoke(id)).toMatchObject({ id })
    await expect
      .poll(
        () =>
          reader.projects.get(P).then(
            () => 200,
            (e: GitpgError) => e.status,
          ),
        {
          timeout: 30_000,
          interval: 500,
        },
      )
      .toBe(401)
  })
})
