import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../test/support/mulberry32.ts'
import { GitFixture } from './support/git-fixture.ts'
import { loadFixture } from './support/load-fixture.ts'
import { apiLog, apiNameStatus, gitFollow, gitNameStatus } from './support/rename-compare.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

const SEED = Number(process.env.RENAME_SEED ?? 20261202)
const COMMITS = 70
let t: TestApp
let limited: TestApp
let g: GitFixture
const commits: string[] = []
const files = new Map<string, string[]>()

/** A history of edits, renames (same folder, across folders, new names), copies and deletes. */
function buildHistory() {
  const rnd = mulberry32(SEED)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]
  const dirs = ['', 'src/', 'src/lib/', 'docs/', 'test/', 'pkg/a/', 'pkg/b/']
  const names = ['index', 'util', 'main', 'readme', 'config', 'helper', 'model', 'view']
  const exts = ['.ts', '.md', '.txt', '']
  const line = () => `${pick(names)} ${Math.floor(rnd() * 50)} ${pick(['alpha', 'beta', 'gamma'])}`
  const newPath = () => `${pick(dirs)}${pick(names)}${Math.floor(rnd() * 5)}${pick(exts)}`
  const write = (path: string, content: string[]) => {
    files.set(path, content)
    g.write(path, content.length ? content.join('\n') + (rnd() < 0.9 ? '\n' : '') : '')
  }
  const free = (path: string) =>
    ![...files.keys()].some(
      (p) => p === path || p.startsWith(`${path}/`) || path.startsWith(`${p}/`),
    )
  for (let i = 0; i < 24; i++) {
    const p = newPath()
    if (free(p)) write(p, Array.from({ length: 5 + Math.floor(rnd() * 40) }, line))
  }
  write('same-a.txt', ['identical'])
  write('same-b.txt', ['identical'])
  write('empty.txt', [])
  commits.push(g.commit('start'))
  // files only the side branch has, until it is merged
  const sideOnly = new Set<string>()
  const step = (n: number, side: boolean) => {
    const ops = 1 + Math.floor(rnd() * 4)
    for (let k = 0; k < ops; k++) {
      const paths = [...files.keys()].filter((p) => side === sideOnly.has(p))
      if (paths.length === 0 || (side && rnd() < 0.3)) {
        const to = `side/${pick(names)}${Math.floor(rnd() * 9)}${pick(exts)}`
        if (free(to)) write(to, Array.from({ length: 5 + Math.floor(rnd() * 30) }, line))
        if (side) sideOnly.add(to)
        continue
      }
      const path = pick(paths)
      const content = files.get(path)!
      const edited = () => content.map((l) => (rnd() < pick([0.05, 0.2, 0.5, 0.8]) ? line() : l))
      const target = () =>
        side ? `side/${pick(names)}${Math.floor(rnd() * 9)}${pick(exts)}` : newPath()
      const r = rnd()
      if (r < 0.35) write(path, edited())
      else if (r < 0.75) {
        const to =
          r < 0.5 && !side ? path.replace(/[^/]*$/, '') + pick(names) + pick(exts) : target()
        if (!free(to)) continue
        g.remove(path)
        files.delete(path)
        sideOnly.delete(path)
        write(to, r < 0.55 ? content : edited())
        if (side) sideOnly.add(to)
      } else if (r < 0.85) {
        const to = target()
        if (!free(to)) continue
        write(to, edited())
        if (side) sideOnly.add(to)
      } else if (r < 0.93 && paths.length > 10) {
        g.remove(path)
        files.delete(path)
        sideOnly.delete(path)
      } else {
        const to = target()
        if (!free(to)) continue
        write(to, Array.from({ length: 3 + Math.floor(rnd() * 30) }, line))
        if (side) sideOnly.add(to)
      }
    }
    commits.push(g.commit(`${side ? 'side' : 'step'} ${n}`))
  }
  for (let n = 1; commits.length < COMMITS; n++) {
    if (n % 12 !== 6) {
      step(n, false)
      continue
    }
    g.git('checkout', '-q', '-b', `side${n}`)
    for (let k = 0; k < 3; k++) step(n, true)
    g.git('checkout', '-q', 'main')
    const onSide = new Map([...sideOnly].map((p) => [p, files.get(p)!]))
    for (const p of sideOnly) files.delete(p)
    sideOnly.clear()
    step(n, false)
    g.git('merge', '-q', '--no-ff', '-m', `merge side ${n}`, `side${n}`)
    for (const [p, content] of onSide) files.set(p, content)
    commits.push(g.git('rev-parse', 'HEAD').trim())
  }
}

beforeAll(async () => {
  g = new GitFixture()
  buildHistory()
  t = await createTestApp()
  limited = await createTestApp({ config: { renameLimit: 2 } })
  for (const app of [t, limited]) {
    await loadFixture(app, 'gen', g)
  }
}, 120_000)
afterAll(async () => {
  g?.cleanup()
  await t?.close()
  await limited?.close()
})

describe('rename detection on a generated history', () => {
  it('equals git diff -M and -C for every commit against its parent', async () => {
    let renames = 0
    for (let i = 1; i < commits.length; i++) {
      const [a, b] = [commits[i - 1], commits[i]]
      const want = gitNameStatus(g, ['-M', a, b])
      expect(await apiNameStatus(t, 'gen', `from=${a}&to=${b}&renames=true`)).toEqual(want)
      expect(await apiNameStatus(t, 'gen', `from=${a}&to=${b}&copies=true`)).toEqual(
        gitNameStatus(g, ['-C', a, b]),
      )
      renames += want.filter((l) => l.startsWith('R')).length
    }
    expect(renames).toBeGreaterThan(20)
  })

  it('equals git diff -M between commits far apart, both ways', async () => {
    for (const [i, j] of [
      [0, 69],
      [10, 50],
      [5, 40],
      [30, 69],
      [69, 0],
      [20, 21],
    ]) {
      const [a, b] = [commits[i], commits[j]]
      expect(await apiNameStatus(t, 'gen', `from=${a}&to=${b}&renames=true`)).toEqual(
        gitNameStatus(g, ['-M', a, b]),
      )
    }
  })

  it('honours the rename limit like git diff -M -l2', async () => {
    let differs = 0
    for (const [i, j] of [
      [0, 69],
      [10, 50],
      [30, 69],
    ]) {
      const [a, b] = [commits[i], commits[j]]
      const want = gitNameStatus(g, ['-M', '-l2', a, b])
      expect(await apiNameStatus(limited, 'gen', `from=${a}&to=${b}&renames=true`)).toEqual(want)
      if (want.join() !== gitNameStatus(g, ['-M', a, b]).join()) differs++
    }
    expect(differs).toBeGreaterThan(0)
  })

  it('equals git log --follow for every file at the head', async () => {
    let longer = 0
    for (const path of files.keys()) {
      const want = gitFollow(g, 'main', path)
      expect(await apiLog(t, 'gen', `path=${encodeURIComponent(path)}&follow=true`, 3)).toEqual(
        want,
      )
      const plain = await apiLog(t, 'gen', `path=${encodeURIComponent(path)}`, 100)
      if (want.length > plain.length) longer++
    }
    expect(longer).toBeGreaterThan(5)
  })
})
