import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { diffLines, splitLines, unifiedHunks } from '../src/index.ts'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitpg-diff-lines-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The hunks `git diff` prints for two contents (everything from the first `@@`). */
function gitHunks(a: string, b: string): string {
  writeFileSync(join(dir, 'a'), a, 'latin1')
  writeFileSync(join(dir, 'b'), b, 'latin1')
  const res = spawnSync(
    'git',
    ['-c', 'diff.noprefix=false', 'diff', '--no-index', '--no-color', '--no-ext-diff', 'a', 'b'],
    {
      cwd: dir,
      env: { ...process.env, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' },
      maxBuffer: 256 * 1024 * 1024,
    },
  )
  if (res.status !== 0 && res.status !== 1) throw new Error(res.stderr.toString())
  const out = res.stdout.toString('latin1')
  const at = out.indexOf('\n@@')
  return at === -1 ? '' : out.slice(at + 1)
}

function ourHunks(a: string, b: string): string {
  const oldLines = splitLines(a)
  const newLines = splitLines(b)
  const diff = diffLines(oldLines, newLines)
  if (!diff) throw new Error('no budget was set')
  return unifiedHunks({ oldLines, newLines, changes: diff.changes })
}

/** A small deterministic generator (an LCG), so every run checks the same cases. */
function random(seed: number) {
  let s = seed
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff
    return s / 0x7fffffff
  }
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)],
  }
}

type Random = ReturnType<typeof random>

const CODE = [
  '',
  '',
  '{',
  '}',
  '\t}',
  '  return x',
  '\tif (a) {',
  'function f() {',
  '  foo()',
  '    bar()',
  '// comment',
  'x = 1',
]

function someLines(r: Random, n: number): string[] {
  return Array.from({ length: n }, () => (r.next() < 0.6 ? r.pick(CODE) : `line ${r.int(n * 2)}`))
}

/** Random edits: deletions, insertions, replacements and moves of blocks. */
function edit(r: Random, lines: readonly string[]): string[] {
  const out = [...lines]
  for (let k = 1 + r.int(8); k > 0; k--) {
    const op = r.next()
    const at = r.int(out.length + 1)
    if (op < 0.3) out.splice(at, r.int(5))
    else if (op < 0.6) out.splice(at, 0, ...someLines(r, 1 + r.int(5)))
    else if (op < 0.8) out.splice(at, 1, ...someLines(r, 1 + r.int(3)))
    else {
      const block = out.splice(at, r.int(10))
      out.splice(r.int(out.length + 1), 0, ...block)
    }
  }
  return out
}

/** Lines joined with `\n` or `\r\n`, the last one sometimes without a line end. */
function text(r: Random, lines: readonly string[]): string {
  const body = lines.join(r.next() < 0.2 ? '\r\n' : '\n')
  return lines.length > 0 && r.next() < 0.8 ? `${body}\n` : body
}

const numbered = (n: number, f: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => `${f(i)}\n`).join('')

describe('diffLines', () => {
  it('matches git diff byte for byte on seeded random edits', () => {
    const r = random(42)
    for (let round = 0; round < 150; round++) {
      const before = someLines(r, r.int(200))
      const a = text(r, before)
      const b = text(r, edit(r, before))
      expect(ourHunks(a, b), `round ${round}`).toBe(gitHunks(a, b))
    }
  })

  it('slides groups like git: blank-line groups, repeated lines, the indent heuristic', () => {
    const fn = (name: string) => `function ${name}() {\n  if (x) {\n    y()\n  }\n}\n`
    const cases: [string, string][] = [
      [fn('a') + '\n' + fn('b'), fn('a') + '\n' + fn('n') + '\n' + fn('b')],
      [fn('a') + fn('b'), fn('a') + fn('n') + fn('b')],
      ['a\n\n\nb\n\n\nc\n', 'a\n\n\nb\n\n\nx\n\n\nc\n'],
      ['x\nx\nx\nx\n', 'x\nx\nx\nx\nx\nx\n'],
      ['a\nb\na\nb\na\nb\n', 'a\nb\na\nb\n'],
      [
        '  {\n    a\n  }\n\n  {\n    b\n  }\n',
        '  {\n    a\n  }\n\n  {\n    c\n  }\n\n  {\n    b\n  }\n',
      ],
    ]
    for (const [a, b] of cases) {
      expect(ourHunks(a, b)).toBe(gitHunks(a, b))
      expect(ourHunks(b, a)).toBe(gitHunks(b, a))
    }
  })

  it('keeps CR, marks a last line without newline, and sees both as changes', () => {
    const cases: [string, string][] = [
      ['a\r\nb\r\nc\r\n', 'a\r\nb\nc\r\n'],
      ['a\nb\nc', 'a\nb\nc\n'],
      ['a\nb\nc\n', 'a\nb\nc'],
      ['a\nb', 'a\nc'],
      ['', 'one\ntwo'],
      ['one\n', ''],
      ['caf\xe9\n\x01\xff\n', 'caf\xe8\n\x01\xff\n'],
    ]
    for (const [a, b] of cases) expect(ourHunks(a, b)).toBe(gitHunks(a, b))
    expect(ourHunks('a\nb', 'a\nc')).toContain('\\ No newline at end of file\n')
  })

  it('writes the hunk heading git writes: nearest identifier line above, 80 bytes, no trailing space', () => {
    const long = `${'x'.repeat(100)}  \n`
    const a = `${long}$var\n${numbered(10, (i) => `  ${i}`)}_tail \t\n${numbered(10, (i) => `  ${i}`)}`
    const b = a.replace('  3\n', '  three\n').replace(/ {2}8\n$/, '  eight\n')
    expect(ourHunks(a, b)).toBe(gitHunks(a, b))
    expect(ourHunks(long + a, long + b)).toBe(gitHunks(long + a, long + b))
  })

  it('diffs a 20,000-line rewrite like git, with work linear in the lines', () => {
    const a = numbered(20_000, (i) => (i % 5 === 0 ? '}' : `old ${i}`))
    const b = numbered(20_000, (i) => (i % 5 === 0 ? '}' : `new ${i}`))
    const oldLines = splitLines(a)
    const newLines = splitLines(b)
    const diff = diffLines(oldLines, newLines)!
    expect(diff.cost.steps).toBeLessThanOrEqual(oldLines.length + newLines.length)
    expect(unifiedHunks({ oldLines, newLines, changes: diff.changes })).toBe(gitHunks(a, b))
  })

  it('numbers 2,000 long lines of one length like git, with work linear in the bytes', () => {
    // engines hash strings over 16,383 characters by length only: all these collide
    const line = (i: number) => `${'x'.repeat(16_400)}${String(i).padStart(8, '0')}\n`
    const a = numbered(2000, (i) => line(i).slice(0, -1))
    const b = numbered(2000, (i) => line(i % 7 === 0 ? i + 5000 : i).slice(0, -1))
    const oldLines = splitLines(a)
    const newLines = splitLines(b)
    const started = performance.now()
    const diff = diffLines(oldLines, newLines)!
    const elapsed = performance.now() - started
    const bytes = a.length + b.length
    expect(diff.cost.classifySteps).toBeGreaterThan(bytes / 16)
    expect(diff.cost.classifySteps).toBeLessThanOrEqual(4000 + (2 * bytes) / 16)
    expect(elapsed).toBeLessThan(3000)
    expect(unifiedHunks({ oldLines, newLines, changes: diff.changes })).toBe(gitHunks(a, b))
    expect(diffLines(oldLines, newLines, { maxSteps: bytes / 32 })).toBeNull()
  })

  it("agrees with git where xdiff's cost cut-offs decide (large, shuffled input)", () => {
    const r = random(7)
    const a = numbered(20_000, () => `v${r.int(2500)}`)
    const b = numbered(20_000, () => `v${r.int(2500)}`)
    const diff = diffLines(splitLines(a), splitLines(b))!
    // past 256 edits the heuristics cut the search: the script is not minimal, as in git
    expect(diff.cost.steps).toBeGreaterThan(1_000_000)
    expect(ourHunks(a, b)).toBe(gitHunks(a, b))
  })

  it("agrees with git where xdiff's snake heuristic decides (over 32,768 lines, long snakes)", () => {
    const r = random(11)
    const blocks = () => {
      let out = ''
      for (let k = 0; k < 1200; k++) {
        for (let j = 0; j < 25; j++) out += `common ${k} ${j}\n`
        for (let j = 0; j < 5; j++) out += `v${r.int(200)}\n`
      }
      return out
    }
    const a = blocks()
    const b = blocks()
    expect(ourHunks(a, b)).toBe(gitHunks(a, b))
  })

  it('stops at maxSteps and says so with null', () => {
    const r = random(3)
    const a = splitLines(numbered(5000, () => `v${r.int(40)}`))
    const b = splitLines(numbered(5000, () => `v${r.int(40)}`))
    const full = diffLines(a, b)!
    expect(full.cost.steps).toBeGreaterThan(10_000)
    expect(diffLines(a, b, { maxSteps: 10_000 })).toBeNull()
    expect(diffLines(a, b, { maxSteps: full.cost.steps })?.changes).toEqual(full.changes)
  })
})

describe('splitLines', () => {
  it('keeps line ends and a last line without one', () => {
    expect(splitLines(Buffer.from('a\r\nb\n\nc'))).toEqual(['a\r\n', 'b\n', '\n', 'c'])
    expect(splitLines('')).toEqual([])
    expect(splitLines(Buffer.from([0xff, 0x0a]))).toEqual(['\xff\n'])
  })
})
