import { mkdir } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { git, gitOutput } from './git-cli.ts'
import { mulberry32 } from './mulberry32.ts'

export { git, gitOutput, packRepo } from './git-cli.ts'

type Mode = '100644' | '100755' | '120000' | '160000'

/** One path of the generator's model; `data` is the blob, or the submodule's commit id for 160000. */
interface Entry {
  mode: Mode
  data: Buffer
}

type Tree = Map<string, Entry>

interface Node {
  mark: number
  parents: number[]
  tree: Tree
  ancestors: Set<number>
}

export interface FixtureRepo {
  dir: string
  /** commits written, merges included */
  commits: number
  /** paths the generator renamed away, deleted, changed type of, or changed in a merge */
  renamed: string[]
  deleted: string[]
  typeChanged: string[]
  mergeTouched: string[]
  branches: string[]
  annotatedTags: string[]
  lightweightTags: string[]
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number) {
  const next = mulberry32(seed)
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]
  return { next, int, pick }
}

const PEOPLE = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.org' },
  { name: 'Jürgen Größe', email: 'juergen@example.de' },
  { name: '山田 太郎', email: 'taro@example.jp' },
]
const ZONES = ['+0000', '+0100', '-0500', '+0530', '-0930', '+1245']
const DIRS = [
  '',
  'src',
  'src/lib',
  'src/lib/util',
  'docs',
  'docs/with space',
  'données/été',
  'src/日本語',
  'a/b/c/d/e',
  'bin',
  'assets',
]
const NAMES = ['file-%.txt', 'notes %.md', 'résumé-%.txt', 'データ%.txt', 'mod%.ts', 'deep %/x.txt']

const SUBMODULE_PATH = 'vendor/sub module'
/** Paths the history must keep alive to the head, so the head tree shows every kind of entry. */
const KEEP = new Set([
  'README.md',
  'empty',
  'assets/logo.bin',
  'bin/run.sh',
  'link-to-readme',
  SUBMODULE_PATH,
  'docs/with space/naïve café.md',
  'src/日本語/ファイル.txt',
  'a/b/c/d/e/deep.txt',
  'conflict.txt',
])

const quote = (path: string) => `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
const same = (a: Entry | undefined, b: Entry | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.mode === b.mode && a.data.equals(b.data))
const fakeOid = (n: number) => createHash('sha1').update(`submodule ${n}`).digest('hex')

/** Drops files that would collide with a directory of the same name (possible after merges). */
function fixCollisions(tree: Tree) {
  for (const path of [...tree.keys()]) {
    for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
      if (tree.has(path.slice(0, i))) tree.delete(path.slice(0, i))
    }
  }
}

/** Three-way merge of whole files; both sides changing a file concatenates the two versions. */
function mergeTrees(ours: Tree, theirs: Tree, base: Tree): Tree {
  const out: Tree = new Map()
  for (const path of new Set([...ours.keys(), ...theirs.keys()])) {
    const o = ours.get(path)
    const t = theirs.get(path)
    const b = base.get(path)
    let e: Entry | undefined
    if (same(t, b) || same(o, t)) e = o
    else if (same(o, b)) e = t
    else if (o && t && o.mode !== '160000' && t.mode !== '160000' && o.mode !== '120000')
      e = { mode: o.mode, data: Buffer.concat([o.data, t.data]) }
    else e = o ?? t
    if (e) out.set(path, e)
  }
  fixCollisions(out)
  return out
}

/**
 * Builds a git repository with the git CLI only (`git fast-import`, fixed names and dates, so
 * every object id depends on `seed` alone): `commits` commits on `main` and two more branches,
 * with clean, evil, octopus and TREESAME merges, renames, deletes, type changes, an empty file,
 * a binary file, an executable, a symlink, a submodule, paths with spaces and non-ASCII names,
 * nested directories, annotated and lightweight tags.
 *
 * @example
 * const fixture = await buildFixtureRepo({ dir: await mkdtemp(join(tmpdir(), 'fx-')), seed: 7 })
 */
export async function buildFixtureRepo({
  dir,
  commits = 500,
  seed = 1,
}: {
  dir: string
  commits?: number
  seed?: number
}): Promise<FixtureRepo> {
  const r = random(seed)
  const nodes = new Map<number, Node>()
  const stream: Buffer[] = []
  const emit = (text: string | Buffer) =>
    stream.push(Buffer.isBuffer(text) ? text : Buffer.from(text))
  const data = (bytes: Buffer) => {
    emit(`data ${bytes.length}\n`)
    emit(bytes)
    emit('\n')
  }
  const renamed = new Set<string>()
  const deleted = new Set<string>()
  const typeChanged = new Set<string>()
  const mergeTouched = new Set<string>()
  let mark = 0
  let time = 1_600_000_000
  let counter = 0

  const writeCommit = (branch: string, parents: number[], tree: Tree, message: string): number => {
    mark += 1
    time += 60 + r.int(3000)
    const author = r.pick(PEOPLE)
    const committer = r.int(4) === 0 ? r.pick(PEOPLE) : author
    emit(`commit refs/heads/${branch}\nmark :${mark}\n`)
    emit(`author ${author.name} <${author.email}> ${time - r.int(5000)} ${r.pick(ZONES)}\n`)
    emit(`committer ${committer.name} <${committer.email}> ${time} ${r.pick(ZONES)}\n`)
    data(Buffer.from(message))
    const [first, ...rest] = parents
    const before: Tree = first === undefined ? new Map() : nodes.get(first)!.tree
    if (first !== undefined) emit(`from :${first}\n`)
    for (const p of rest) emit(`merge :${p}\n`)
    for (const path of before.keys()) if (!tree.has(path)) emit(`D ${quote(path)}\n`)
    for (const [path, e] of tree) {
      if (same(before.get(path), e)) continue
      if (e.mode === '160000') emit(`M 160000 ${e.data.toString()} ${quote(path)}\n`)
      else {
        emit(`M ${e.mode} inline ${quote(path)}\n`)
        data(e.data)
      }
    }
    emit('\n')
    const ancestors = new Set<number>(parents)
    for (const p of parents) for (const a of nodes.get(p)!.ancestors) ancestors.add(a)
    nodes.set(mark, { mark, parents, tree: new Map(tree), ancestors })
    return mark
  }

  const newPath = (tree: Tree): string => {
    for (;;) {
      counter += 1
      const d = r.int(4) === 0 ? `gen/dir${r.int(12)}` : r.pick(DIRS)
      const name = r.pick(NAMES).replace('%', String(counter))
      const path = d ? `${d}/${name}` : name
      const parts = path.split('/')
      const clash = parts.some((_, i) => tree.has(parts.slice(0, i + 1).join('/')))
      const under = [...tree.keys()].some((p) => p.startsWith(`${path}/`))
      if (!clash && !under) return path
    }
  }
  const text = (label: string) => Buffer.from(`${label}\nline ${r.int(1e6)}\n`)
  const regular = (tree: Tree, movable: boolean) =>
    [...tree.entries()]
      .filter(([p, e]) => (e.mode === '100644' || e.mode === '100755') && !(movable && KEEP.has(p)))
      .map(([p]) => p)

  /** One to three random changes of `tree`; returns a commit message. */
  const change = (tree: Tree): string => {
    const done: string[] = []
    for (let n = 1 + r.int(3); n > 0; n -= 1) {
      const op = r.int(100)
      const files = regular(tree, false)
      const movable = regular(tree, true)
      if (op < 35 && files.length > 0) {
        const path = r.pick(files)
        const e = tree.get(path)!
        if (path === 'empty') continue
        const bytes =
          path === 'assets/logo.bin'
            ? Buffer.from(Array.from({ length: 1500 }, () => r.int(256)))
            : Buffer.concat([e.data, Buffer.from(`more ${r.int(1e6)}\n`)])
        tree.set(path, { mode: e.mode, data: bytes })
        done.push(`edit ${path}`)
      } else if (op < 60 || movable.length < 6) {
        const path = newPath(tree)
        tree.set(path, { mode: r.int(8) === 0 ? '100755' : '100644', data: text(path) })
        done.push(`add ${path}`)
      } else if (op < 72) {
        const path = r.pick(movable)
        tree.delete(path)
        deleted.add(path)
        done.push(`delete ${path}`)
      } else if (op < 84) {
        const from = r.pick(movable)
        const to = newPath(tree)
        const e = tree.get(from)!
        tree.delete(from)
        tree.set(
          to,
          r.int(3) === 0 ? { mode: e.mode, data: Buffer.concat([e.data, Buffer.from('x\n')]) } : e,
        )
        renamed.add(from)
        done.push(`rename ${from} to ${to}`)
      } else if (op < 90) {
        const path = r.pick(movable)
        const e = tree.get(path)!
        tree.set(path, { mode: e.mode === '100755' ? '100644' : '100755', data: e.data })
        done.push(`chmod ${path}`)
      } else if (op < 94) {
        tree.set('link-to-readme', { mode: '120000', data: Buffer.from(r.pick(files)) })
        done.push('retarget link')
      } else if (op < 97) {
        tree.set(SUBMODULE_PATH, { mode: '160000', data: Buffer.from(fakeOid(r.int(1e6))) })
        done.push('bump submodule')
      } else if (movable.length > 0) {
        const path = r.pick(movable)
        tree.set(path, { mode: '120000', data: Buffer.from('README.md') })
        typeChanged.add(path)
        done.push(`make ${path} a symlink`)
      }
    }
    const subject = done[0] ?? 'touch nothing'
    return done.length > 1 ? `${subject}\n\n${done.slice(1).join('\n')}\n` : `${subject}\n`
  }

  const mergeBase = (a: number, b: number): number => {
    const common = [...nodes.get(a)!.ancestors, a].filter(
      (m) => m === b || nodes.get(b)!.ancestors.has(m),
    )
    return Math.max(...common)
  }

  // the root commit holds every special kind of entry
  const root: Tree = new Map<string, Entry>([
    ['README.md', { mode: '100644', data: Buffer.from('# fixture\n') }],
    ['empty', { mode: '100644', data: Buffer.alloc(0) }],
    [
      'assets/logo.bin',
      { mode: '100644', data: Buffer.from([0, 1, 2, 255, 0, 137, 80, 78, 71, 0]) },
    ],
    ['bin/run.sh', { mode: '100755', data: Buffer.from('#!/bin/sh\necho run\n') }],
    ['link-to-readme', { mode: '120000', data: Buffer.from('README.md') }],
    [SUBMODULE_PATH, { mode: '160000', data: Buffer.from(fakeOid(0)) }],
    ['docs/with space/naïve café.md', { mode: '100644', data: Buffer.from('café\n') }],
    ['src/日本語/ファイル.txt', { mode: '100644', data: Buffer.from('こんにちは\n') }],
    ['a/b/c/d/e/deep.txt', { mode: '100644', data: Buffer.from('deep\n') }],
    ['conflict.txt', { mode: '100644', data: Buffer.from('base\n') }],
    ['to-become-dir', { mode: '100644', data: Buffer.from('a file for now\n') }],
  ])
  const heads: Record<string, number> = { main: writeCommit('main', [], root, 'initial import\n') }
  let written = 1
  const commitOn = (branch: string, tree: Tree, message: string, parents = [heads[branch]]) => {
    heads[branch] = writeCommit(branch, parents, tree, message)
    written += 1
  }
  const treeOf = (branch: string) => new Map(nodes.get(heads[branch])!.tree)

  // a file replaced by a directory of the same name
  const t = treeOf('main')
  t.delete('to-become-dir')
  t.set('to-become-dir/inside.txt', { mode: '100644', data: Buffer.from('now a directory\n') })
  typeChanged.add('to-become-dir')
  commitOn('main', t, 'turn to-become-dir into a directory\n')
  heads.feature = heads.main

  const mergeKinds = ['clean', 'ours', 'evil', 'theirs', 'sync', 'clean', 'octopus'] as const
  let kind = 0
  while (written < commits) {
    const step = written
    if (step % 19 === 0 && heads.feature !== heads.main) {
      const k = mergeKinds[kind++ % mergeKinds.length]
      const [into, from] = k === 'sync' ? ['feature', 'main'] : ['main', 'feature']
      const ours = nodes.get(heads[into])!.tree
      const theirs = nodes.get(heads[from])!.tree
      const base = nodes.get(mergeBase(heads[into], heads[from]))!.tree
      let merged: Tree
      if (k === 'ours') merged = new Map(ours)
      else if (k === 'theirs') merged = new Map(theirs)
      else merged = mergeTrees(ours, theirs, base)
      const parents = [heads[into], heads[from]]
      if (k === 'octopus') {
        heads['topic/x'] = heads.main
        for (let i = 0; i < 3; i += 1) {
          const tt = treeOf('topic/x')
          change(tt)
          commitOn('topic/x', tt, `topic work ${i}\n`)
        }
        const topic = nodes.get(heads['topic/x'])!.tree
        merged = mergeTrees(merged, topic, nodes.get(mergeBase(heads.main, heads['topic/x']))!.tree)
        parents.push(heads['topic/x'])
      }
      if (k === 'evil' || k === 'clean') {
        const path = k === 'evil' ? 'conflict.txt' : r.pick(regular(merged, true))
        const e = merged.get(path) ?? { mode: '100644' as Mode, data: Buffer.alloc(0) }
        merged.set(path, {
          mode: e.mode,
          data: Buffer.concat([e.data, Buffer.from(`resolved ${step}\n`)]),
        })
        mergeTouched.add(path)
      }
      for (const [p, e] of merged)
        if (!same(e, ours.get(p)) && !same(e, theirs.get(p))) mergeTouched.add(p)
      commitOn(into, merged, `Merge branch '${from}' into ${into} (${k})\n`, parents)
      if (k === 'sync' || r.int(3) === 0) continue
      if (r.int(4) === 0) heads.feature = heads.main
      continue
    }
    const branch = r.int(10) < 7 ? 'main' : 'feature'
    const tree = treeOf(branch)
    if (step % 19 === 17) {
      const e = tree.get('conflict.txt') ?? { mode: '100644' as Mode, data: Buffer.alloc(0) }
      tree.set('conflict.txt', {
        mode: e.mode,
        data: Buffer.concat([e.data, Buffer.from(`${branch} ${step}\n`)]),
      })
      commitOn(branch, tree, `edit conflict.txt on ${branch}\n`)
      continue
    }
    const message = change(tree)
    commitOn(branch, tree, step === 100 ? `commit ${step}: ünïcödé message ✓\n\nbody\n` : message)
  }
  // the feature branch ends with work main has not merged
  const tail = treeOf('feature')
  change(tail)
  commitOn('feature', tail, 'unmerged feature work\n')

  const byIndex = [...nodes.keys()].sort((a, b) => a - b)
  const at = (i: number) => byIndex[Math.min(byIndex.length - 1, i)]
  const annotatedTags = ['v0.1', 'v1.0', 'release/2.0', 'feature-tag']
  const tagTargets = [at(10), at(250), heads.main, heads.feature]
  annotatedTags.forEach((name, i) => {
    time += 60
    emit(
      `tag ${name}\nfrom :${tagTargets[i]}\ntagger Ada Lovelace <ada@example.com> ${time} +0200\n`,
    )
    data(Buffer.from(`Release ${name}\n`))
  })
  const lightweightTags = ['light', 'old/light']
  emit(`reset refs/tags/light\nfrom :${heads.main}\n\n`)
  emit(`reset refs/tags/old/light\nfrom :${at(3)}\n\n`)
  emit('done\n')

  await mkdir(dir, { recursive: true })
  await gitOutput(dir, ['-c', 'init.defaultBranch=main', 'init', '-q'])
  await git(dir, ['fast-import', '--quiet', '--done', '--date-format=raw'], {
    input: Buffer.concat(stream),
  })
  return {
    dir,
    commits: written,
    renamed: [...renamed].sort(),
    deleted: [...deleted].sort(),
    typeChanged: [...typeChanged].sort(),
    mergeTouched: [...mergeTouched].sort(),
    branches: Object.keys(heads).sort(),
    annotatedTags,
    lightweightTags,
  }
}
