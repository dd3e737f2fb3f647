import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

/** A small deterministic generator (an LCG), so every run builds the same history. */
function random(seed: number) {
  let s = seed
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff
    return s / 0x7fffffff
  }
  return { next, int: (n: number) => Math.floor(next() * n) }
}
const r = random(2026)

const WORDS = ['', '', '{', '}', '  return x', '\tif (a) {', 'function f() {', '    bar()', 'x = 1']
const someLines = (n: number) =>
  Array.from({ length: n }, () => (r.next() < 0.6 ? WORDS[r.int(WORDS.length)] : `l${r.int(n)}`))

/** Deletions, insertions and moved blocks. */
function edit(lines: readonly string[]): string[] {
  const out = [...lines]
  for (let k = 1 + r.int(6); k > 0; k--) {
    const at = r.int(out.length + 1)
    const op = r.next()
    if (op < 0.35) out.splice(at, r.int(4))
    else if (op < 0.7) out.splice(at, 0, ...someLines(1 + r.int(4)))
    else out.splice(r.int(out.length + 1), 0, ...out.splice(at, r.int(8)))
  }
  return out
}

const numbered = (n: number, f: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => `${f(i)}\n`).join('')

const files: Record<string, string[]> = {}
const commits: string[] = []

function buildHistory(g: GitFixture) {
  for (let f = 0; f < 6; f++) files[`src/file${f}.js`] = someLines(40 + r.int(120))
  const writeAll = () => {
    for (const [path, lines] of Object.entries(files)) g.write(path, lines.join('\n') + '\n')
  }
  writeAll()
  g.write('crlf.txt', 'one\r\ntwo\r\nthree\r\nfour\r\n')
  g.write('no-eol.txt', 'alpha\nbeta\ngamma')
  g.write('gone.txt', 'to be deleted\n')
  g.write(
    'big.txt',
    numbered(20_000, (i) => (i % 5 === 0 ? '}' : `old ${i}`)),
  )
  g.write('tool.sh', '#!/bin/sh\necho a\n')
  g.write('blob.bin', Buffer.from([0, 1, 2, 3, 4, 5]))
  commits.push(g.commit('first'))

  for (const path of Object.keys(files)) files[path] = edit(files[path])
  writeAll()
  g.write('crlf.txt', 'one\r\ntwo\ntwo and a half\r\nthree\r\nfour\r\n')
  g.write('no-eol.txt', 'alpha\nbeta\ngamma\n')
  g.remove('gone.txt')
  g.write('new.txt', 'fresh\nfile')
  g.write('empty.txt', '')
  g.write(
    'big.txt',
    numbered(20_000, (i) => (i % 5 === 0 ? '}' : `new ${i}`)),
  )
  g.chmod('tool.sh', 0o755)
  g.write('blob.bin', Buffer.from([0, 9, 8, 7]))
  commits.push(g.commit('second'))

  for (const path of Object.keys(files)) files[path] = edit(files[path])
  writeAll()
  g.write('no-eol.txt', 'alpha\nbeta\ndelta')
  g.write('tool.sh', '#!/bin/sh\necho b\n', { executable: true })
  g.write(
    'big.txt',
    numbered(20_000, (i) => (i % 97 === 0 ? `edited ${i}` : `new ${i}`)),
  )
  commits.push(g.commit('third'))
}

/** The patch sections of a diff, one per file, keyed by the `diff --git` line. */
function sections(patch: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of patch.split(/^(?=diff --git )/m).filter(Boolean))
    out.set(part.slice(0, part.indexOf('\n')), part)
  return out
}

let t: TestApp
let small: TestApp
let repo: GitFixture

async function load(app: TestApp) {
  await loadFixture(app, 'p', repo)
}

async function patchOf(app: TestApp, from: string, to: string): Promise<string> {
  const res = await app.call('GET', `/projects/p/diff?from=${from}&to=${to}&format=patch`)
  expect(res.status).toBe(200)
  return Buffer.from(await res.arrayBuffer()).toString('latin1')
}

const gitDiff = (from: string, to: string) =>
  execFileSync(
    'git',
    [
      '-c',
      'diff.noprefix=false',
      'diff',
      '--no-color',
      '--no-ext-diff',
      '--binary',
      '--no-renames',
      from,
      to,
    ],
    { cwd: repo.dir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, HOME: repo.dir } },
  ).toString('latin1')

/** Applies `patch` to a checkout of `from` and returns the tree `git write-tree` makes. */
function applied(patch: string, from: string): string {
  const work = mkdtempSync(join(tmpdir(), 'gitpg-patch-'))
  try {
    execFileSync('git', ['clone', '-q', repo.dir, work])
    const run = (...args: string[]) => execFileSync('git', args, { cwd: work }).toString()
    run('checkout', '-q', '--detach', from)
    const file = join(work, '..', `${work.split('/').pop()}.patch`)
    writeFileSync(file, patch, 'latin1')
    try {
      run('apply', '--index', file)
    } finally {
      rmSync(file, { force: true })
    }
    return run('write-tree').trim()
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

beforeAll(async () => {
  repo = new GitFixture()
  buildHistory(repo)
  t = await createTestApp()
  small = await createTestApp({ config: { diffMaxLines: 1000, diffMaxSteps: 20_000 } })
  await load(t)
  await load(small)
})
afterAll(async () => {
  repo?.cleanup()
  await t?.close()
  await small?.close()
})

describe('formatPatch', () => {
  it('writes text changes byte for byte as git diff does', async () => {
    const pairs = [
      [commits[0], commits[1]],
      [commits[1], commits[2]],
      [commits[0], commits[2]],
      [commits[2], commits[0]],
    ]
    for (const [from, to] of pairs) {
      const ours = sections(await patchOf(t, from, to))
      const git = sections(gitDiff(from, to))
      expect([...ours.keys()]).toEqual([...git.keys()])
      for (const [head, text] of git) {
        if (text.includes('GIT binary patch\n')) {
          // zlib levels differ and git may send a delta: the headers must still agree
          const upTo = (s: string) => s.slice(0, s.indexOf('GIT binary patch\n'))
          expect(upTo(ours.get(head)!), head).toBe(upTo(text))
        } else expect(ours.get(head), `${head} ${from}..${to}`).toBe(text)
      }
      expect(applied([...ours.values()].join(''), from)).toBe(
        repo.git('rev-parse', `${to}^{tree}`).trim(),
      )
    }
  })

  it('diffs the 20,000-line rewrite as git does', async () => {
    const head = 'diff --git a/big.txt b/big.txt'
    const ours = sections(await patchOf(t, commits[0], commits[1])).get(head)!
    expect(ours).toBe(sections(gitDiff(commits[0], commits[1])).get(head))
    expect(ours.split('\n').filter((l) => l.startsWith('-old ')).length).toBe(16_000)
  })

  it('stops past GITPG_PATCH_MAX_BYTES with PATCH_TOO_LARGE; a narrower diff still fits', async () => {
    const [from, to] = [commits[0], commits[1]]
    const full = await patchOf(t, from, to)
    const tight = await createTestApp({ config: { patchMaxBytes: full.length - 1 } })
    try {
      await load(tight)
      const url = `/projects/p/diff?from=${from}&to=${to}&format=patch`
      const res = await tight.callJson('GET', url)
      expect(res.status).toBe(413)
      expect(res.body.error).toMatchObject({ code: 'PATCH_TOO_LARGE', maxBytes: full.length - 1 })
      expect(res.body.error.message).toContain('GITPG_PATCH_MAX_BYTES')
      const one = await tight.call('GET', `${url}&path=no-eol.txt`)
      expect(one.status).toBe(200)
      expect(await one.text()).toBe(sections(full).get('diff --git a/no-eol.txt b/no-eol.txt'))
    } finally {
      await tight.close()
    }
  })

  it('refuses a single file larger than GITPG_PATCH_MAX_BYTES, text or binary', async () => {
    const g = new GitFixture()
    const tight = await createTestApp({ config: { patchMaxBytes: 1024 * 1024 } })
    try {
      g.write('keep.txt', 'keep\n')
      const from = g.commit('one')
      g.write(
        'huge.txt',
        numbered(90_000, (i) => `line ${i} of a file too large to diff`),
      )
      const text = g.commit('two')
      g.write('huge.bin', randomBytes(3 * 1024 * 1024))
      const binary = g.commit('three')
      await loadFixture(tight, 'q', g)
      for (const [a, b] of [
        [from, text],
        [text, binary],
      ]) {
        const res = await tight.callJson('GET', `/projects/q/diff?from=${a}&to=${b}&format=patch`)
        expect(res.status).toBe(413)
        expect(res.body.error).toMatchObject({ code: 'PATCH_TOO_LARGE', files: 0 })
      }
    } finally {
      g.cleanup()
      await tight.close()
    }
  })

  it('writes a file past GITPG_DIFF_MAX_LINES as a binary patch git apply still takes', async () => {
    const head = 'diff --git a/big.txt b/big.txt'
    const [from, to] = [commits[1], commits[2]]
    const patch = await patchOf(small, from, to)
    const big = sections(patch).get(head)!
    // where this differs from git: git diffs it line by line
    expect(sections(gitDiff(from, to)).get(head)).toMatch(/^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/m)
    const blob = (rev: string) => repo.git('rev-parse', `${rev}:big.txt`).trim()
    expect(big).toBe(
      `${head}\nindex ${blob(from)}..${blob(to)} 100644\nGIT binary patch\n` +
        big.slice(big.indexOf('literal ')),
    )
    const size = (rev: string) => repo.git('cat-file', '-s', `${rev}:big.txt`).trim()
    expect(big).toContain(`\nliteral ${size(to)}\n`)
    expect(big).toContain(`\n\nliteral ${size(from)}\n`)
    // small files are still diffed line by line
    expect(sections(patch).get('diff --git a/no-eol.txt b/no-eol.txt')).toBe(
      sections(gitDiff(from, to)).get('diff --git a/no-eol.txt b/no-eol.txt'),
    )
    expect(applied(patch, from)).toBe(repo.git('rev-parse', `${to}^{tree}`).trim())
  })

  it('writes a file whose line diff passes GITPG_DIFF_MAX_STEPS as a binary patch', async () => {
    const g = new GitFixture()
    try {
      const rr = random(5)
      g.write(
        'mixed.txt',
        numbered(900, () => `v${rr.int(30)}`),
      )
      const from = g.commit('one')
      g.write(
        'mixed.txt',
        numbered(900, () => `v${rr.int(30)}`),
      )
      const to = g.commit('two')
      await loadFixture(small, 'q', g)
      const capped = await small.call('GET', `/projects/q/diff?from=${from}&to=${to}&format=patch`)
      expect(await capped.text()).toContain('GIT binary patch\nliteral ')
      await loadFixture(t, 'q', g)
      const full = await t.call('GET', `/projects/q/diff?from=${from}&to=${to}&format=patch`)
      expect(await full.text()).toBe(g.git('diff', '--no-color', from, to))
    } finally {
      g.cleanup()
    }
  })
})
