import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../test/support/mulberry32.ts'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { gitBlame } from './support/porcelain-blame.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
let g: GitFixture
const checkpoints: string[] = []

/** A small seeded generator (mulberry32), so every run builds the same history. */
function prng(seed: number) {
  const next = mulberry32(seed)
  return { int: (n: number) => Math.floor(next() * n) }
}

const rng = prng(17)
// code-like lines with many repeats ("}", blank lines): where a diff has several equal choices
const VOCABULARY = ['}\n', '\n', '  return x;\n', '  if (x) {\n', '  }\n', '// note\n']
const fresh = (n: number) =>
  Array.from({ length: n }, () =>
    rng.int(3) === 0 ? VOCABULARY[rng.int(VOCABULARY.length)] : `  value_${rng.int(1e6)};\n`,
  )

/** One to three hunks that insert, delete, change or move lines. */
function edit(lines: string[]): string[] {
  const out = [...lines]
  for (let h = 1 + rng.int(3); h > 0; h--) {
    const at = rng.int(out.length + 1)
    const op = rng.int(4)
    if (op === 0 || out.length < 8) out.splice(at, 0, ...fresh(1 + rng.int(6)))
    else if (op === 1) out.splice(Math.min(at, out.length - 1), 1 + rng.int(4))
    else if (op === 2)
      out.splice(Math.min(at, out.length - 1), 1 + rng.int(3), ...fresh(1 + rng.int(3)))
    else {
      const moved = out.splice(Math.min(at, out.length - 1), 1 + rng.int(5))
      out.splice(rng.int(out.length + 1), 0, ...moved)
    }
  }
  return out
}

/** 150 commits on one file: edits, two-sided merges (conflicts resolved), a rename. */
function buildHistory() {
  let path = 'src/engine.c'
  let lines = fresh(400)
  g.write(path, lines.join(''))
  g.commit('engine: created')
  for (let i = 1; i <= 150; i++) {
    if (i === 60) {
      // moved and edited in one commit: followed by similarity
      g.remove(path)
      path = 'lib/engine.c'
      lines = edit(lines)
      g.write(path, lines.join(''))
      g.commit('engine: moved to lib and edited')
      continue
    }
    if (i % 25 === 0) {
      g.git('checkout', '-q', '-b', `topic${i}`)
      let side = lines
      for (let k = 0; k < 3; k++) {
        side = edit(side)
        g.write(path, side.join(''))
        g.commit(`topic ${i}.${k}`)
      }
      g.git('checkout', '-q', 'main')
      for (let k = 0; k < 2; k++) {
        lines = edit(lines)
        g.write(path, lines.join(''))
        g.commit(`main ${i}.${k}`)
      }
      try {
        g.git('merge', '-q', '--no-ff', '--no-commit', `topic${i}`)
      } catch {
        // conflicts: resolved below by keeping both sides' lines
      }
      const merged = readFileSync(join(g.dir, path), 'latin1')
        .split(/(?<=\n)/)
        .filter((l) => !/^(<<<<<<<|=======|>>>>>>>)/.test(l))
      lines = rng.int(2) === 0 ? merged : edit(merged)
      g.write(path, lines.join(''))
      g.commit(`merge topic ${i}`)
      checkpoints.push(g.git('rev-parse', 'HEAD').trim())
      continue
    }
    lines = edit(lines)
    g.write(path, lines.join(''))
    g.commit(`edit ${i}`)
  }
}

beforeAll(async () => {
  t = await createTestApp()
  g = new GitFixture()
  buildHistory()
  await loadFixture(t, 'long', g)
}, 120_000)
afterAll(async () => {
  g?.cleanup()
  await t?.close()
})

interface Answer {
  lines: { line: number; commit: string; origPath: string; origLine: number }[]
  commits: Record<string, { summary: string }>
}

async function expectSameAsGit(ref: string, path: string, range?: [number, number]) {
  const q = new URLSearchParams({ ref })
  if (range) {
    q.set('start', String(range[0]))
    q.set('end', String(range[1]))
  }
  const res = await t.callJson<Answer>('GET', `/projects/long/blame/${path}?${q}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  const expected = gitBlame({ dir: g.dir, ref, path, range: range?.join(',') })
  expect(res.body.lines).toEqual(expected.lines)
  expect(Object.keys(res.body.commits).sort()).toEqual(Object.keys(expected.commits).sort())
  return expected
}

describe('blame over a long history', () => {
  it('matches git on a file with 150 commits of edits, merges and a rename with edits', async () => {
    const expected = await expectSameAsGit('main', 'lib/engine.c')
    const commits = new Set(expected.lines.map((l) => l.commit))
    expect(commits.size).toBeGreaterThan(50)
    expect(expected.lines.some((l) => l.origPath === 'src/engine.c')).toBe(true)
  })

  it('matches git at earlier commits and on ranges', async () => {
    for (const oid of checkpoints) {
      const path = gitBlamePath(oid)
      await expectSameAsGit(oid, path)
    }
    await expectSameAsGit('main', 'lib/engine.c', [100, 180])
    await expectSameAsGit('topic125', 'lib/engine.c', [1, 40])
  })
})

function gitBlamePath(oid: string): string {
  return g.git('ls-tree', '-r', '--name-only', oid).includes('lib/engine.c')
    ? 'lib/engine.c'
    : 'src/engine.c'
}
