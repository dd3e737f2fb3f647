import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { ObjectCache } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_GREP_LIMITS, grep } from '../src/domain/grep/grep.ts'
import { ListingCache } from '../src/domain/grep/listing-cache.ts'
import { compileMatcher } from '../src/domain/grep/line-matcher.ts'
import { compilePathspec } from '../src/domain/grep/pathspec.ts'
import { requiredLiteral } from '../src/domain/grep/required-literal.ts'
import { openProject } from '../src/domain/projects.ts'
import { PostgresPendingStore } from '../src/store/postgres/pending-store.ts'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
let repo: GitFixture
let first: string

const LONG_LINE = `${'a'.repeat(60_000)}!`
const NOISE = Array.from({ length: 4 }, (_, i) => {
  const lines = randomBytes(75_000)
    .toString('hex')
    .match(/.{1,64}/g)!
  lines.splice(500 * i + 7, 0, `FOO in the n${i}ise`)
  return `${lines.join('\n')}\n`
})
const LATIN1 = Buffer.from('caf\xe9 foo na\xefve\nsecond line\n', 'latin1')

/** Files and folders with the cases grep must get right, in two commits. */
function build(g: GitFixture) {
  g.write('README.md', '# Foo\n\nfoo and FOO and fOo\nnothing here\n')
  g.write('src/a.ts', 'import { x } from "./b"\nexport const foo = 1\n// TODO: foo bar\n')
  g.write('src/b.test.ts', 'export function x() {\n  return "foo"\n}\n')
  g.write('src/deep/c.ts', 'const y = 2 // foo\n')
  g.write('srcx/e.ts', 'foo in srcx\n')
  g.write('lib/d.js', 'module.exports = { foo: 1 }\n')
  g.write('docs/crlf.md', 'line one foo\r\nline two\r\nfoo three\r\n')
  g.write('empty.txt', '')
  g.write('no-newline.txt', 'alpha\nfoo at end')
  g.write(
    'bin/data.bin',
    Buffer.concat([Buffer.from('foo'), Buffer.from([0, 1, 2]), Buffer.from('foo\n')]),
  )
  g.write('long.txt', `${LONG_LINE}\nfoo\n`)
  g.write(
    'big.txt',
    Array.from({ length: 24_000 }, (_, i) =>
      i % 97 === 0 ? '' : `${i} ${'x'.repeat(i % 41)}`,
    ).join('\n') + '\n',
  )
  g.write('short-a.txt', `${'a'.repeat(20)}!\nfoo\naaa\n`)
  g.write('latin1.txt', LATIN1)
  writeFileSync(
    Buffer.concat([Buffer.from(`${g.dir}/`), Buffer.from('caf\xe8.txt', 'latin1')]),
    'foo in a non-UTF-8 name\n',
  )
  g.write('list.txt', Array.from({ length: 40 }, (_, i) => `item ${i} foo`).join('\n') + '\n')
  g.write('tool.sh', '#!/bin/sh\necho foo\n', { executable: true })
  g.symlink('link.ts', 'src/a.ts')
  // text that hardly compresses, past what a read inflates off the main thread (256 KB stored)
  for (let i = 0; i < 4; i++) g.write(`noise/${i}.txt`, NOISE[i])
  first = g.commit('first')
  g.write('src/a.ts', 'import { x } from "./b"\nexport const foo = 2\nexport const bar = 3\n')
  g.write('new/later.ts', 'foo came later\n')
  g.remove('lib/d.js')
  g.write('noise/0.txt', `${NOISE[0]}FOO added later\n`)
  g.commit('second')
}

beforeAll(async () => {
  t = await createTestApp()
  repo = new GitFixture()
  build(repo)
  await loadFixture(t, 'g', repo)
})
afterAll(async () => {
  repo?.cleanup()
  await t?.close()
})

/** A line of an answer as `path:line:text`, bytes shown one character each (Latin-1). */
type Line = string

/** `git grep -n -I -z <args> <ref> -- <spec>` as lines, matches and context alike. */
function gitGrep(args: string[], ref = 'HEAD', spec?: string): Line[] {
  let out: Buffer
  try {
    out = execFileSync(
      'git',
      ['grep', '-n', '-I', '-z', ...args, ref, ...(spec === undefined ? [] : ['--', spec])],
      { cwd: repo.dir, env: { ...process.env, LC_ALL: 'C.UTF-8' }, maxBuffer: 1 << 28 },
    )
  } catch (err) {
    if ((err as { status?: number }).status === 1) return []
    throw err
  }
  const lines: Line[] = []
  for (let at = 0; at < out.length;) {
    const end = out.indexOf(0x0a, at)
    const record = out.subarray(at, end)
    at = end + 1
    if (record.toString('latin1') === '--') continue
    const nul1 = record.indexOf(0)
    const nul2 = record.indexOf(0, nul1 + 1)
    const path = record.subarray(ref.length + 1, nul1).toString('latin1')
    const line = record.subarray(nul1 + 1, nul2).toString('latin1')
    lines.push(`${path}:${line}:${record.subarray(nul2 + 1).toString('latin1')}`)
  }
  return lines
}

/** A file's content at HEAD, its name given as Latin-1 bytes, decoded as UTF-8. */
function showFile(path: string): string {
  const out = execFileSync('git', ['cat-file', '--batch'], {
    cwd: repo.dir,
    input: Buffer.from(`HEAD:${path}\n`, 'latin1'),
  })
  const header = out.indexOf(0x0a)
  const size = Number(out.subarray(0, header).toString().split(' ')[2])
  return out.subarray(header + 1, header + 1 + size).toString('utf8')
}

interface MatchJson {
  path: string
  pathBytes?: string
  line: number
  text: string
  textBytes?: string
  before?: string[]
  after?: string[]
}

interface Page {
  matches: MatchJson[]
  next: string | null
}

const latin1 = (text: string, base64?: string) =>
  (base64 ? Buffer.from(base64, 'base64') : Buffer.from(text, 'utf8')).toString('latin1')

const asLine = (m: MatchJson): Line =>
  `${latin1(m.path, m.pathBytes)}:${m.line}:${latin1(m.text, m.textBytes)}`

/** Every page of a grep, followed through `next`. */
async function grepAll(query: Record<string, string>, limit = 1000): Promise<MatchJson[]> {
  const all: MatchJson[] = []
  let cursor: string | null = null
  for (let pages = 0; pages < 1000; pages++) {
    const q = new URLSearchParams({ ...query, limit: String(limit) })
    if (cursor) q.set('cursor', cursor)
    const res = await t.callJson<Page>('GET', `/projects/g/grep?${q}`)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    all.push(...res.body.matches)
    cursor = res.body.next
    if (!cursor) return all
  }
  throw new Error('too many pages')
}

describe('requiredLiteral', () => {
  it.each([
    ['new [A-Z][A-Za-z]+Error\\(', 'Error('],
    ['item [0-9]{2} fo+$', 'item '],
    ['ab*cd', 'cd'],
    ['(foo|bar)baz', 'baz'],
    ['a{2}bc', 'bc'],
    ['foo|bar', null],
    ['(?i)hello', null],
    ['\\x41BC', null],
    ['\\w+', null],
    ['[abc]+', null],
  ])('%s needs %s', (pattern, literal) => {
    expect(requiredLiteral(pattern)).toBe(literal)
  })
})

describe('compileMatcher', () => {
  it('lets the time box be checked inside a large file, every block of lines', () => {
    const content = Buffer.from(`${'a'.repeat(10_000)}\n`.repeat(100))
    for (const pattern of ['[a-z]{20}[0-9]', '^a+[0-9]']) {
      let checks = 0
      const match = compileMatcher({ pattern, regex: true, ignoreCase: false })
      expect([...match(content, 1, () => checks++)]).toEqual([])
      expect(checks).toBeGreaterThanOrEqual(10)
    }
    const stop = new Error('time is up')
    const match = compileMatcher({ pattern: '[a-z]{20}[0-9]', regex: true, ignoreCase: false })
    expect(() => [
      ...match(content, 1, () => {
        throw stop
      }),
    ]).toThrow(stop)
  })

  it('refuses a program too large to run fast with INVALID_PATTERN', () => {
    expect(() =>
      compileMatcher({ pattern: '[\\p{L}]{300}', regex: true, ignoreCase: false }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_PATTERN' }))
  })
})

describe('compilePathspec', () => {
  it.each([
    ['src', 'src/a.ts', true],
    ['src', 'srcx/a.ts', false],
    ['src/', 'src/a.ts', true],
    ['*.ts', 'src/deep/a.ts', true],
    ['src/*.ts', 'src/deep/a.ts', true],
    ['s?c/a.ts', 'src/a.ts', true],
    ['[!s]*', 'src/a.ts', false],
    ['\\*.ts', '*.ts', true],
    ['\\*.ts', 'a.ts', false],
    ['[[:upper:]]*', 'README.md', true],
  ])('%s names %s: %s', (spec, path, expected) => {
    expect(compilePathspec(spec).matches(path)).toBe(expected)
  })
})

/** One search compared with git grep: the route's query, git grep's options, its pathspec. */
interface GrepCase {
  name: string
  query: Record<string, string>
  git: string[]
  spec?: string
}

/** A search for a fixed string in the pathspec `spec`, given to the route as `path`. */
const fixedIn = (name: string, spec: string, pattern = 'foo'): GrepCase => ({
  name,
  query: { pattern, path: spec },
  git: ['-F', '-e', pattern],
  spec,
})

describe('GET /projects/:id/grep', () => {
  const cases: GrepCase[] = [
    { name: 'a fixed string', query: { pattern: 'foo' }, git: ['-F', '-e', 'foo'] },
    {
      name: 'ignoring case',
      query: { pattern: 'FOO', ignoreCase: 'true' },
      git: ['-i', '-F', '-e', 'FOO'],
    },
    {
      name: 'a fixed string with regex characters',
      query: { pattern: '{ x }' },
      git: ['-F', '-e', '{ x }'],
    },
    {
      name: 'a regular expression',
      query: { pattern: '^(export|import) [a-z]+', regex: 'true' },
      git: ['-E', '-e', '^(export|import) [a-z]+'],
    },
    {
      name: 'a regular expression ignoring case',
      query: { pattern: 'f[o]+ (and|at)', regex: 'true', ignoreCase: 'true' },
      git: ['-i', '-E', '-e', 'f[o]+ (and|at)'],
    },
    {
      name: 'a bracket class and an anchor',
      query: { pattern: '[[:digit:]]+$', regex: 'true' },
      git: ['-E', '-e', '[[:digit:]]+$'],
    },
    {
      name: 'CRLF lines and $',
      query: { pattern: 'two.$', regex: 'true' },
      git: ['-E', '-e', 'two.$'],
    },
    fixedIn('the empty pattern (every line)', 'docs', ''),
    fixedIn('a glob across folders', '*.ts'),
    fixedIn('a folder prefix', 'src'),
    fixedIn('a deeper prefix with a slash', 'src/deep/'),
    fixedIn('a glob in a folder', 'src/*.ts', 'o'),
    fixedIn('a bracket glob', '[sl]*/[a-c].*'),
    fixedIn('a file path', 'list.txt'),
    ...['./src', 'src//deep', 'lib/../src/deep/', 'src/.', './*.ts', ':/src', ':(top)src/deep'].map(
      (spec) => fixedIn(`the pathspec ${spec}, normalized as git does`, spec),
    ),
    { name: 'no match', query: { pattern: 'zebra' }, git: ['-F', '-e', 'zebra'] },
    {
      name: 'a regular expression with a literal to look for first',
      query: { pattern: 'item [0-9]{2} fo+$', regex: 'true' },
      git: ['-E', '-e', 'item [0-9]{2} fo+$'],
    },
    {
      name: 'a regular expression with an escaped literal',
      query: { pattern: 'return "[a-z]+"|x\\(\\)', regex: 'true' },
      git: ['-E', '-e', 'return "[a-z]+"|x\\(\\)'],
    },
    {
      name: 'empty lines, in a file of several blocks',
      query: { pattern: '^$', regex: 'true' },
      git: ['-E', '-e', '^$'],
    },
    {
      name: 'a regular expression without a literal, in a file of several blocks',
      query: { pattern: '^[0-9]+5 x{40}$', regex: 'true', path: 'big.txt' },
      git: ['-E', '-e', '^[0-9]+5 x{40}$'],
      spec: 'big.txt',
    },
    {
      name: 'a regular expression without a literal',
      query: { pattern: 'o{2}.?[[:space:]]', regex: 'true' },
      git: ['-E', '-e', 'o{2}.?[[:space:]]'],
    },
  ]
  for (const c of cases) {
    it(`answers like git grep: ${c.name}`, async () => {
      const expected = gitGrep(c.git, 'HEAD', c.spec)
      const mine = (await grepAll(c.query)).map(asLine)
      expect(mine).toEqual(expected)
    })
  }

  it('refuses pathspecs outside the repository (as git does) and magic it does not apply', async () => {
    for (const spec of ['/src', 'src/../../x', ':!src', ':(exclude)src', ':(icase)SRC']) {
      if (!spec.startsWith(':')) expect(() => gitGrep(['-F', '-e', 'foo'], 'HEAD', spec)).toThrow()
      const q = new URLSearchParams({ pattern: 'foo', path: spec })
      const res = await t.callJson('GET', `/projects/g/grep?${q}`)
      expect(res.status, spec).toBe(400)
      expect(res.body.error.code).toBe('INVALID_PATH')
    }
  })

  it('covers the cases the fixture was built for', () => {
    const all = gitGrep(['-F', '-e', 'foo'])
    expect(all.some((l) => l.startsWith('caf\xe8.txt:'))).toBe(true)
    expect(all.some((l) => l.startsWith('bin/data.bin:'))).toBe(false)
    expect(all.some((l) => l.startsWith('link.ts:'))).toBe(false)
    expect(all.some((l) => l.startsWith('latin1.txt:'))).toBe(true)
  })

  it('answers a non-UTF-8 path with pathBytes and a non-UTF-8 line with textBytes', async () => {
    const matches = await grepAll({ pattern: 'foo', path: 'caf*' })
    const name = matches.find((m) => m.pathBytes)!
    expect(Buffer.from(name.pathBytes!, 'base64').toString('latin1')).toBe('caf\xe8.txt')
    const [line] = await grepAll({ pattern: 'foo', path: 'latin1.txt' })
    expect(Buffer.from(line.textBytes!, 'base64')).toEqual(LATIN1.subarray(0, LATIN1.indexOf(10)))
  })

  it('searches an older commit', async () => {
    const expected = gitGrep(['-F', '-e', 'foo'], first)
    expect(expected.some((l) => l.startsWith('lib/d.js:'))).toBe(true)
    expect((await grepAll({ pattern: 'foo', ref: first })).map(asLine)).toEqual(expected)
  })

  it('pages through a long answer: the pages add up to git answer', async () => {
    const expected = gitGrep(['-F', '-e', 'o'])
    expect(expected.length).toBeGreaterThan(50)
    for (const limit of [1, 7, 40]) {
      expect((await grepAll({ pattern: 'o' }, limit)).map(asLine)).toEqual(expected)
    }
    const first = await t.callJson<Page>('GET', '/projects/g/grep?pattern=o&limit=5')
    expect(first.body.matches).toHaveLength(5)
    expect(first.body.next).toEqual(expect.any(String))
  })

  it('gives context lines before and after each match, as git grep -C shows them', async () => {
    const matches = await grepAll({ pattern: 'foo', context: '2' })
    const shown = new Set<string>()
    for (const m of matches) {
      const path = latin1(m.path, m.pathBytes)
      const lines = showFile(path).split('\n')
      expect(m.before).toEqual(lines.slice(Math.max(0, m.line - 3), m.line - 1))
      const after = lines.slice(m.line, m.line + 2)
      if (m.line + 2 >= lines.length && lines.at(-1) === '') after.splice(lines.length - 1 - m.line)
      expect(m.after).toEqual(after)
      for (let l = m.line - m.before!.length; l <= m.line + m.after!.length; l++)
        shown.add(`${path}:${l}`)
    }
    const expected = new Set(
      gitGrep(['-C', '2', '-F', '-e', 'foo']).map((l) => l.split(':').slice(0, 2).join(':')),
    )
    expect(shown).toEqual(expected)
  })

  it("searches a user's pending versions with userId", async () => {
    const put = (path: string, body: string) =>
      t.call('PUT', `/pending/g/ada/${path}`, { body, headers: { 'Content-Type': 'text/plain' } })
    expect((await put('src/a.ts', 'pending foo\nfoo again\n')).status).toBeLessThan(300)
    expect((await put('new/made.ts', 'made foo\n')).status).toBeLessThan(300)
    expect((await t.call('POST', '/pending/g/ada/delete/srcx/e.ts')).status).toBeLessThan(300)
    // the same changes, committed on a branch of the git repository, give git's answer
    repo.git('checkout', '-q', '-b', 'overlay')
    repo.write('src/a.ts', 'pending foo\nfoo again\n')
    repo.write('new/made.ts', 'made foo\n')
    repo.remove('srcx/e.ts')
    repo.commit('the pending changes')
    repo.git('checkout', '-q', 'main')
    for (const spec of [undefined, '*.ts']) {
      const expected = gitGrep(['-F', '-e', 'foo'], 'overlay', spec)
      const query = { pattern: 'foo', userId: 'ada', ...(spec ? { path: spec } : {}) }
      expect((await grepAll(query, 3)).map(asLine)).toEqual(expected)
    }
    // another user sees the branch
    expect((await grepAll({ pattern: 'foo', userId: 'bob' })).map(asLine)).toEqual(
      gitGrep(['-F', '-e', 'foo']),
    )
  })

  it('answers a catastrophic-backtracking pattern in linear time', async () => {
    // git's own regex engine backtracks: it takes close to a minute on this line, so the answer
    // (no line of a's ends the line) is checked against git on a shorter copy of it
    const started = performance.now()
    const mine = await grepAll({ pattern: '(a+)+$', regex: 'true', path: 'long.txt' })
    expect(performance.now() - started).toBeLessThan(2000)
    expect(mine).toEqual([])
    const short = { pattern: '(a+)+$', regex: 'true', path: 'short-a.txt' }
    expect((await grepAll(short)).map(asLine)).toEqual(
      gitGrep(['-E', '-e', '(a+)+$'], 'HEAD', 'short-a.txt'),
    )
    const hit = await grepAll({ pattern: '^(a|aa)+!$', regex: 'true', path: 'long.txt' })
    expect(hit.map(asLine)).toEqual(gitGrep(['-E', '-e', '^(a|aa)+!$'], 'HEAD', 'long.txt'))
    expect(hit[0].text).toBe(LONG_LINE)
  })

  it('refuses a regular expression that does not parse with 400 INVALID_PATTERN', async () => {
    for (const pattern of ['(unclosed', 'a{2,1}', '(a)\\1', '[\\p{L}]{1000}', 'x\ny']) {
      const res = await t.callJson(
        'GET',
        `/projects/g/grep?regex=true&pattern=${encodeURIComponent(pattern)}`,
      )
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('INVALID_PATTERN')
    }
  })

  it('refuses a cursor from another search with 400 INVALID_CURSOR', async () => {
    const page = await t.callJson<Page>('GET', '/projects/g/grep?pattern=o&limit=2')
    const other = await t.callJson('GET', `/projects/g/grep?pattern=foo&cursor=${page.body.next}`)
    expect(other.status).toBe(400)
    expect(other.body.error.code).toBe('INVALID_CURSOR')
    const junk = await t.callJson('GET', '/projects/g/grep?pattern=o&cursor=nonsense')
    expect(junk.body.error.code).toBe('INVALID_CURSOR')
  })

  it('is described in /openapi.json', async () => {
    const res = await t.callJson('GET', '/openapi.json')
    expect(Object.keys(res.body.paths)).toContain('/projects/{projectId}/grep')
  })

  it('answers 404 for an unknown project or ref', async () => {
    expect((await t.callJson('GET', '/projects/nope/grep?pattern=x')).status).toBe(404)
    expect((await t.callJson('GET', '/projects/g/grep?pattern=x&ref=nope')).status).toBe(404)
  })

  it('stops with GREP_TIMEOUT past its time box', async () => {
    const repository = await openProject({
      store: t.store,
      cache: new ObjectCache(),
      projectId: 'g',
    })
    const search = grep({
      repo: repository,
      pending: new PostgresPendingStore({ db: t.db }),
      query: { pattern: 'foo', regex: false, ignoreCase: false, context: 0, limit: 10 },
      limits: { ...DEFAULT_GREP_LIMITS, timeoutMs: 0 },
      listings: new ListingCache({ maxBytes: 1 << 20 }),
    })
    await expect(search).rejects.toMatchObject({ code: 'GREP_TIMEOUT' })
  })
})
