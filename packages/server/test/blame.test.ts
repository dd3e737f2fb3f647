import { appendFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { decodePath, GitPgError, Repository } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { gitBlame } from './support/porcelain-blame.ts'
import { blame } from '../src/domain/blame.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
let g: GitFixture
let octopus = ''

const numbered = (n: number, tag = 'line') =>
  Array.from({ length: n }, (_, i) => `${tag} ${i + 1}\n`)

/** Histories `git blame` must be matched on, one file (or two) per case. */
function buildHistory() {
  // linear edits: insertions, deletions, replacements, at the start, middle and end
  const lines = numbered(12)
  g.write('linear.txt', lines.join(''))
  g.commit('linear: created')
  lines.splice(3, 0, 'inserted a\n', 'inserted b\n')
  g.write('linear.txt', lines.join(''))
  g.commit('linear: insert')
  lines.splice(8, 2)
  lines[0] = 'first changed\n'
  g.write('linear.txt', lines.join(''))
  g.commit('linear: delete and change')
  lines.push('appended\n')
  lines.splice(5, 1, 'replaced 1\n', 'replaced 2\n', 'replaced 3\n')
  g.write('linear.txt', lines.join(''))
  g.commit('linear: append and replace')

  // a block moved down (blame without -M gives the moved lines to the commit that moved them)
  const block = ['function moved() {\n', '  return 1\n', '}\n']
  g.write('moved.js', ['// head\n', ...block, '\n', ...numbered(6, 'stay'), '// tail\n'].join(''))
  g.commit('moved: created')
  g.write('moved.js', ['// head\n', '\n', ...numbered(6, 'stay'), ...block, '// tail\n'].join(''))
  g.commit('moved: block moved')

  // the indent heuristic decides which of two equal placements a hunk takes
  g.write(
    'indent.c',
    ['int a() {\n', '  return 1;\n', '}\n', '\n', 'int c() {\n', '  return 3;\n', '}\n'].join(''),
  )
  g.commit('indent: two functions')
  g.write(
    'indent.c',
    [
      'int a() {\n',
      '  return 1;\n',
      '}\n',
      '\n',
      'int b() {\n',
      '  return 2;\n',
      '}\n',
      '\n',
      'int c() {\n',
      '  return 3;\n',
      '}\n',
    ].join(''),
  )
  g.commit('indent: a function between')

  // CRLF, bytes that are not UTF-8, an empty file, no newline at the end
  g.write('crlf.txt', 'one\r\ntwo\r\nthree\r\n')
  g.write('latin1.txt', Buffer.from('caf\xe9\nna\xefve\nplain\n', 'latin1'))
  g.write('empty.txt', '')
  g.write('no-eol.txt', 'a\nb\nc')
  // a file name that is not UTF-8, renamed to another such name later
  writeFileSync(Buffer.from(join(g.dir, 'caf\xe9.txt'), 'latin1'), 'x\ny\n')
  g.commit('encodings: created')
  g.write('crlf.txt', 'one\r\ntwo changed\r\nthree\r\nfour\r\n')
  g.write('latin1.txt', Buffer.from('caf\xe9\nna\xefve \xff\nplain\nmore\n', 'latin1'))
  g.write('no-eol.txt', 'a\nb\nc\nd')
  const bytesPath = (name: string) => Buffer.from(join(g.dir, name), 'latin1')
  renameSync(bytesPath('caf\xe9.txt'), bytesPath('na\xefve.txt'))
  appendFileSync(bytesPath('na\xefve.txt'), 'z\n')
  g.commit('encodings: edited')

  // a whole-file rename (into another folder), then edits
  g.write('old/name.txt', numbered(8, 'renamed').join(''))
  g.commit('rename: created')
  g.remove('old/name.txt')
  g.write('new/place.txt', numbered(8, 'renamed').join(''))
  g.commit('rename: moved')
  const renamed = numbered(8, 'renamed')
  renamed[2] = 'edited after the rename\n'
  g.write('new/place.txt', renamed.join(''))
  g.commit('rename: edited')

  // renames with edits in the same commit: found by similarity, as git's -M finds them
  g.write('docs/guide.md', numbered(20, 'guide').join(''))
  g.write('docs/other.md', numbered(20, 'other').join(''))
  g.commit('similar: created')
  const guide = numbered(20, 'guide')
  guide[4] = 'edited while moved\n'
  guide.splice(10, 1)
  g.remove('docs/guide.md')
  g.write('manual/intro.md', guide.join(''))
  const other = numbered(20, 'other')
  other[0] = 'other edited while moved\n'
  g.remove('docs/other.md')
  g.write('manual/other.md', other.join(''))
  g.commit('similar: moved and edited')
  guide.push('appended later\n')
  g.write('manual/intro.md', guide.join(''))
  g.commit('similar: appended')

  // a merge whose both sides edited the file, with a conflict resolved by hand
  const base = numbered(10, 'merge')
  g.write('merge.txt', base.join(''))
  g.write('side.txt', 'side base\n')
  g.commit('merge: base')
  g.git('checkout', '-q', '-b', 'topic')
  const topic = [...base]
  topic[1] = 'topic edit\n'
  topic[6] = 'topic conflict\n'
  g.write('merge.txt', topic.join(''))
  g.write('side.txt', 'side base\ntopic only\n')
  g.commit('merge: topic edits')
  g.git('checkout', '-q', 'main')
  const main = [...base]
  main[8] = 'main edit\n'
  main[6] = 'main conflict\n'
  g.write('merge.txt', main.join(''))
  g.commit('merge: main edits')
  try {
    g.git('merge', '-q', '--no-ff', '-m', 'merge topic', 'topic')
  } catch {
    // the conflict on line 7 is resolved by hand
  }
  const merged = [...base]
  merged[1] = 'topic edit\n'
  merged[8] = 'main edit\n'
  merged[6] = 'resolved in the merge\n'
  g.write('merge.txt', merged.join(''))
  g.commit('merge topic')
  g.write('merge.txt', [...merged, 'after the merge\n'].join(''))
  g.commit('merge: after')

  // an octopus merge: four parents, two of them holding the same version
  const octo = numbered(30, 'octo')
  g.write('octo.txt', octo.join(''))
  g.commit('octo: base')
  const branch = (name: string, at: number) => {
    g.git('checkout', '-q', '-b', name, 'main')
    const mine = [...octo]
    mine[at] = `${name} edit\n`
    g.write('octo.txt', mine.join(''))
    g.commit(`octo: ${name}`)
  }
  branch('octo1', 2)
  branch('octo2', 27)
  // octo3 makes octo2's very edit on its own, and adds a file
  g.git('checkout', '-q', '-b', 'octo3', 'main')
  g.write('octo.txt', [...octo.slice(0, 27), 'octo2 edit\n', ...octo.slice(28)].join(''))
  g.write('octo3.txt', 'another file\n')
  g.commit('octo: octo3, octo.txt as in octo2')
  g.git('checkout', '-q', 'main')
  const mainOcto = [...octo]
  mainOcto[14] = 'main octo edit\n'
  g.write('octo.txt', mainOcto.join(''))
  g.commit('octo: main')
  g.git('merge', '-q', '--no-ff', '-m', 'octopus', 'octo1', 'octo2', 'octo3')
  octopus = g.git('rev-parse', 'HEAD').trim()

  // a file that replaced a symlink, and one that only changed mode
  g.symlink('kind.txt', 'linear.txt')
  g.write('mode.sh', 'echo 1\necho 2\n')
  g.commit('kinds: symlink and script')
  g.remove('kind.txt')
  g.write('kind.txt', 'linear.txt\nnow a file\n')
  g.chmod('mode.sh', 0o755)
  g.commit('kinds: file and mode')

  // a file over 1 KiB whose common tail xdiff cuts before diffing
  const long = Array.from({ length: 120 }, (_, i) => (i % 10 === 0 ? '}\n' : `  statement ${i};\n`))
  g.write('long.c', long.join(''))
  g.commit('long: created')
  long.splice(3, 0, '}\n', '\n', '  statement new;\n')
  long.splice(60, 2)
  g.write('long.c', long.join(''))
  g.commit('long: edits')

  // one more of 1000 equal lines: where the diff puts it depends on the tail xdiff cut
  g.write('repeat.txt', 'head\n' + 'a\n'.repeat(1000))
  g.commit('repeat: created')
  g.write('repeat.txt', 'head\n' + 'a\n'.repeat(1001))
  g.commit('repeat: one more')

  // names and emails as the default branch's .mailmap maps them (git blame applies it)
  g.write(
    '.mailmap',
    [
      '# proper names',
      'Proper Author <proper@example.com> <AUTHOR@example.com>',
      'Proper Committer <committer@example.com> Fixture Committer <committer@example.com>',
      '',
    ].join('\n'),
  )
  g.commit('mailmap')
}

beforeAll(async () => {
  t = await createTestApp()
  g = new GitFixture()
  buildHistory()
  await loadFixture(t, 'blame', g)
})
afterAll(async () => {
  g?.cleanup()
  await t?.close()
})

interface Answer {
  lines: {
    line: number
    commit: string
    origPath: string
    origPathBytes?: string
    origLine: number
  }[]
  commits: Record<
    string,
    Record<string, unknown> & {
      author: { name: string; email: string }
      committer: { name: string; email: string }
      previous: { commit: string; path: string; pathBytes?: string } | null
    }
  >
}

const asPath = (path: string, bytes?: string) =>
  bytes ? decodePath(Buffer.from(bytes, 'base64')) : path

/** The route's answer for a file, next to git's, in the same shape. */
async function compare(
  path: string,
  {
    ref = 'main',
    start,
    end,
    url = path,
  }: { ref?: string; start?: number; end?: number; url?: string } = {},
) {
  const q = new URLSearchParams({ ref })
  if (start !== undefined) q.set('start', String(start))
  if (end !== undefined) q.set('end', String(end))
  const res = await t.callJson<Answer>('GET', `/projects/blame/blame/${url}?${q}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  const range = start !== undefined || end !== undefined ? `${start ?? 1},${end ?? ''}` : undefined
  const expected = gitBlame({ dir: g.dir, ref, path, range })
  const lines = res.body.lines.map((l) => ({
    line: l.line,
    commit: l.commit,
    origPath: asPath(l.origPath, l.origPathBytes),
    origLine: l.origLine,
  }))
  expect(lines).toEqual(expected.lines)
  const commits = Object.fromEntries(
    Object.entries(res.body.commits).map(([oid, c]) => [
      oid,
      {
        ...c,
        previous: c.previous && {
          commit: c.previous.commit,
          path: asPath(c.previous.path, c.previous.pathBytes),
        },
      },
    ]),
  )
  expect(commits).toEqual(expected.commits)
  return { answer: res.body, expected }
}

describe('GET /projects/:projectId/blame/:path', () => {
  it('matches git on a linear history of insertions, deletions and replacements', async () => {
    const { expected, answer } = await compare('linear.txt')
    // through the .mailmap
    expect(Object.values(answer.commits)[0].author).toMatchObject({
      name: 'Proper Author',
      email: 'proper@example.com',
    })
    expect(Object.values(answer.commits)[0].committer.name).toBe('Proper Committer')
    expect(new Set(expected.lines.map((l) => l.commit)).size).toBe(4)
  })

  it('matches git on a moved block', async () => {
    await compare('moved.js')
  })

  it('places hunks with the indent heuristic, as git blame does', async () => {
    const { expected } = await compare('indent.c')
    // the new function is lines 5-8 (its blank line after it), not 4-7
    const added = expected.lines.filter((l) =>
      expected.commits[l.commit].summary.includes('between'),
    )
    expect(added.map((l) => l.line)).toEqual([5, 6, 7, 8])
  })

  it('matches git on CRLF lines, bytes that are not UTF-8 and a last line without newline', async () => {
    await compare('crlf.txt')
    await compare('latin1.txt')
    await compare('no-eol.txt')
  })

  it('blames a file whose name is not UTF-8, across a rename, by its percent-encoded bytes', async () => {
    const name = decodePath(Buffer.from('na\xefve.txt', 'latin1'))
    const { answer } = await compare(name, { url: 'na%EFve.txt' })
    expect(answer.lines[0].origPathBytes).toBe(
      Buffer.from('caf\xe9.txt', 'latin1').toString('base64'),
    )
  })

  it('answers no lines for an empty file', async () => {
    const { answer } = await compare('empty.txt')
    expect(answer.lines).toEqual([])
  })

  it('follows a whole-file rename into another folder', async () => {
    const { expected } = await compare('new/place.txt')
    expect(expected.lines.some((l) => l.origPath === 'old/name.txt')).toBe(true)
  })

  it('follows renames with edits by similarity, as git blame does', async () => {
    const intro = await compare('manual/intro.md')
    expect(intro.expected.lines.some((l) => l.origPath === 'docs/guide.md')).toBe(true)
    const other = await compare('manual/other.md')
    expect(other.expected.lines.some((l) => l.origPath === 'docs/other.md')).toBe(true)
  })

  it('matches git on a merge whose both sides edited the file', async () => {
    const { expected } = await compare('merge.txt')
    expect(new Set(expected.lines.map((l) => expected.commits[l.commit].summary))).toEqual(
      new Set([
        'merge: base',
        'merge: topic edits',
        'merge: main edits',
        'merge topic',
        'merge: after',
      ]),
    )
    await compare('side.txt')
    await compare('merge.txt', { ref: 'topic' })
  })

  it('matches git on an octopus merge', async () => {
    const { expected } = await compare('octo.txt')
    // the merge and its four parents
    expect(g.git('rev-list', '--parents', '-n', '1', octopus).trim().split(' ')).toHaveLength(5)
    expect(new Set(expected.lines.map((l) => expected.commits[l.commit].summary))).toEqual(
      new Set(['octo: base', 'octo: octo1', 'octo: octo2', 'octo: main']),
    )
  })

  it('matches git on a file that replaced a symlink, and a mode change', async () => {
    await compare('kind.txt')
    await compare('mode.sh')
  })

  it('matches git on a file whose common tail is cut before the diff', async () => {
    await compare('long.c')
    const { expected } = await compare('repeat.txt')
    const added = expected.lines.filter(
      (l) => expected.commits[l.commit].summary === 'repeat: one more',
    )
    // well before the end: the diff never saw the last KiB
    expect(added.map((l) => l.line)).toHaveLength(1)
    expect(added[0].line).toBeLessThan(600)
  })

  it('blames line ranges like -L', async () => {
    await compare('linear.txt', { start: 3, end: 7 })
    await compare('linear.txt', { start: 5 })
    await compare('linear.txt', { end: 2 })
    await compare('linear.txt', { start: 10, end: 500 })
    const swapped = await t.callJson<Answer>(
      'GET',
      '/projects/blame/blame/linear.txt?start=7&end=3',
    )
    const { lines } = gitBlame({ dir: g.dir, ref: 'main', path: 'linear.txt', range: '7,3' })
    expect(swapped.body.lines.map((l) => l.line)).toEqual(lines.map((l) => l.line))
  })

  it('refuses a range beyond the end, an unknown path and a bad line number', async () => {
    const beyond = await t.callJson('GET', '/projects/blame/blame/linear.txt?start=500')
    expect(beyond.status).toBe(400)
    expect(beyond.body.error.code).toBe('LINE_OUT_OF_RANGE')
    const empty = await t.callJson('GET', '/projects/blame/blame/empty.txt?start=1')
    expect(empty.body.error.code).toBe('LINE_OUT_OF_RANGE')
    const missing = await t.callJson('GET', '/projects/blame/blame/nope.txt')
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('PATH_NOT_FOUND')
    const folder = await t.callJson('GET', '/projects/blame/blame/new')
    expect(folder.body.error.code).toBe('PATH_NOT_FOUND')
    const bad = await t.callJson('GET', '/projects/blame/blame/linear.txt?start=0')
    expect(bad.body.error.code).toBe('VALIDATION_FAILED')
  })

  it("with userId, blames the user's pending version as git blames a changed work tree", async () => {
    const lines = numbered(12)
    lines.splice(3, 0, 'inserted a\n', 'inserted b\n')
    lines.splice(8, 2)
    lines[0] = 'first changed\n'
    lines.push('appended\n')
    lines.splice(5, 1, 'replaced 1\n', 'replaced 2\n', 'replaced 3\n')
    lines.splice(2, 1, 'pending edit\n')
    lines.push('pending tail\n')
    const content = lines.join('')
    const saved = await t.call('PUT', '/pending/blame/ada/linear.txt', { body: content })
    expect(saved.status).toBeLessThan(300)
    g.write('linear.txt', content)
    try {
      const res = await t.callJson<Answer>('GET', '/projects/blame/blame/linear.txt?userId=ada')
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      const expected = gitBlame({ dir: g.dir, path: 'linear.txt' })
      expect(res.body.lines).toEqual(expected.lines)
      const zero = '0'.repeat(40)
      expect(res.body.lines.filter((l) => l.commit === zero).map((l) => l.line)).toEqual([3, 16])
      const { author, committer, ...rest } = res.body.commits[zero]
      const { author: gitAuthor, committer: gitCommitter, ...gitRest } = expected.commits[zero]
      expect(rest).toEqual(gitRest)
      expect([author.name, author.email, committer.name]).toEqual([
        gitAuthor.name,
        gitAuthor.email,
        gitCommitter.name,
      ])
    } finally {
      g.git('checkout', '--', 'linear.txt')
    }
    // without userId, the committed version
    await compare('linear.txt')
    await t.call('POST', '/pending/blame/ada/delete/crlf.txt')
    const deleted = await t.callJson('GET', '/projects/blame/blame/crlf.txt?userId=ada')
    expect(deleted.body.error.code).toBe('PATH_NOT_FOUND')
    await t.call('PUT', '/pending/blame/ada/brand/new.txt', { body: 'one\ntwo\n' })
    const created = await t.callJson<Answer>(
      'GET',
      '/projects/blame/blame/brand/new.txt?userId=ada',
    )
    expect(created.body.lines.map((l) => [l.line, l.commit, l.origLine])).toEqual([
      [1, '0'.repeat(40), 1],
      [2, '0'.repeat(40), 2],
    ])
  })

  it('is described in /openapi.json', async () => {
    const res = await t.callJson('GET', '/openapi.json')
    const route = res.body.paths['/projects/{projectId}/blame/{path}']
    expect(route.get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['projectId', 'path', 'ref', 'start', 'end']),
    )
    expect(Object.keys(route.get.responses)).toEqual(expect.arrayContaining(['200', '404', '422']))
  })

  it('stops at its limits with a stable code', async () => {
    const repo = await Repository.open({ store: t.store, name: 'blame' })
    const failure = (limits: Parameters<typeof blame>[0]['limits']) =>
      blame({ repo, path: 'lib.txt', limits }).then(
        () => null,
        (err: unknown) => err,
      )
    const path = 'new/place.txt'
    const within = await blame({ repo, path, limits: { maxCommits: 1000 } })
    expect(within.lines).toHaveLength(8)
    const commits = await blame({ repo, path, limits: { maxCommits: 2 } }).catch((e: unknown) => e)
    expect(commits).toBeInstanceOf(GitPgError)
    expect(commits).toMatchObject({
      code: 'BLAME_TOO_COSTLY',
      data: { setting: 'GITPG_BLAME_MAX_COMMITS' },
    })
    const bytes = await blame({ repo, path, limits: { maxBytes: 50 } }).catch((e: unknown) => e)
    expect(bytes).toMatchObject({
      code: 'BLAME_TOO_LARGE',
      data: { setting: 'GITPG_BLAME_MAX_BYTES' },
    })
    const lines = await blame({ repo, path: 'long.c', limits: { maxLines: 50 } }).catch(
      (e: unknown) => e,
    )
    expect(lines).toMatchObject({
      code: 'BLAME_TOO_LARGE',
      data: { setting: 'GITPG_BLAME_MAX_LINES', size: 121 },
    })
    const steps = await blame({ repo, path: 'long.c', limits: { maxSteps: 10 } }).catch(
      (e: unknown) => e,
    )
    expect(steps).toMatchObject({
      code: 'BLAME_TOO_COSTLY',
      data: { setting: 'GITPG_BLAME_MAX_STEPS' },
    })
    expect(await failure({})).toMatchObject({ code: 'PATH_NOT_FOUND' })
  })
})
