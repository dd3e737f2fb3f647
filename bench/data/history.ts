import { dirname, basename } from 'node:path'
import type { DonorLines } from './edit.ts'
import { editContent } from './edit.ts'
import type { FastImportWriter, Person } from './fast-import-writer.ts'
import { PathSet } from './path-set.ts'
import type { Prng } from './prng.ts'
import type { SourceFile } from './source-files.ts'

interface Entry {
  mark: number
  content: Buffer
}

interface Feature {
  ref: string
  pkg: string
  fork: number
  head?: number
  paths: PathSet
  overlay: Map<string, Entry | null>
  planned: number
  made: number
}

const PEOPLE: Person[] = [
  'Ada Lovelace',
  'Grace Hopper',
  'Alan Turing',
  'Edsger Dijkstra',
  'Barbara Liskov',
  'Donald Knuth',
  'Margaret Hamilton',
  'Ken Thompson',
  'Frances Allen',
  'Dennis Ritchie',
  'Radia Perlman',
  'John Backus',
  'Sophie Wilson',
  'Niklaus Wirth',
  'Adele Goldberg',
  'Guy Steele',
].map((name) => ({ name, email: `${name.toLowerCase().replace(' ', '.')}@example.com` }))
const TYPES = ['feat', 'fix', 'refactor', 'chore', 'docs', 'perf', 'test', 'build']
const VERBS = [
  'update',
  'rework',
  'simplify',
  'tidy',
  'handle edge cases in',
  'document',
  'speed up',
]
const DIR_NAMES = ['core', 'internal', 'shared', 'common', 'helpers', 'impl', 'legacy', 'v2']

/**
 * Replays a seeded, realistic history into a fast-import stream: an initial import, then commits
 * that add, edit, delete and rename files (single files and whole folders), feature branches on
 * one package merged back with merge commits, and an annotated release tag every 300 commits.
 */
export class HistoryBuilder {
  #rng: Prng
  #writer: FastImportWriter
  #donors: DonorLines
  #queue: SourceFile[]
  #next = 0
  #taken = new Set<number>()
  #main = new Map<string, Entry>()
  #paths = new PathSet()
  #feature: Feature | null = null
  #time = 1609459200
  #made = 0
  #features = 0
  #mainHead = 0
  #released = 0

  constructor(options: {
    rng: Prng
    writer: FastImportWriter
    donors: DonorLines
    files: SourceFile[]
  }) {
    this.#rng = options.rng
    this.#writer = options.writer
    this.#donors = options.donors
    this.#queue = options.files
  }

  get fileCount(): number {
    return this.#paths.size
  }

  get headBytes(): number {
    let n = 0
    for (const e of this.#main.values()) n += e.content.length
    return n
  }

  /** Writes `commits` commits, the first importing `initial` files, flushing as it goes. */
  async build({ commits, initial }: { commits: number; initial: number }): Promise<void> {
    const first = new Map<string, Entry | null>()
    for (let i = 0; i < initial; i++) this.#add(first, this.#queue[this.#next++])
    this.#commit('refs/heads/main', 'chore: import the monorepo', first)
    while (this.#made < commits) {
      const f = this.#feature
      if (f && f.made >= f.planned) this.#merge(f)
      else if (f && this.#rng.chance(0.45)) this.#featureCommit(f)
      else if (!f && this.#made > 10 && this.#made < commits - 10 && this.#rng.chance(0.06)) {
        this.#openFeature()
      } else this.#mainCommit(commits)
      if (this.#made >= (this.#released + 1) * 300 && !this.#feature) this.#release()
      await this.#writer.flush()
    }
    if (this.#feature) this.#merge(this.#feature)
    await this.#writer.flush()
  }

  #commit(
    ref: string,
    message: string,
    changes: Map<string, Entry | null>,
    extra?: { from?: number; merge?: number },
  ) {
    this.#time += this.#rng.range(120, 25_000)
    const marks = new Map([...changes].map(([p, e]) => [p, e ? e.mark : null]))
    const author = this.#rng.pick(PEOPLE)
    this.#made++
    const mark = this.#writer.commit({
      ref,
      author,
      time: this.#time,
      message,
      changes: marks,
      ...extra,
    })
    if (ref === 'refs/heads/main') this.#mainHead = mark
    return mark
  }

  #blob(content: Buffer): Entry {
    return { mark: this.#writer.blob(content), content }
  }

  #add(changes: Map<string, Entry | null>, file: SourceFile) {
    if (this.#main.has(file.path)) return
    const entry = this.#blob(file.content)
    this.#main.set(file.path, entry)
    this.#paths.add(file.path)
    changes.set(file.path, entry)
  }

  #set(changes: Map<string, Entry | null>, path: string, entry: Entry | null) {
    changes.set(path, entry)
    if (entry) {
      this.#main.set(path, entry)
      this.#paths.add(path)
    } else {
      this.#main.delete(path)
      this.#paths.delete(path)
    }
  }

  #outsideFeature = (path: string) => !this.#feature || !path.startsWith(this.#feature.pkg + '/')

  #nextAdd(): SourceFile | undefined {
    for (let i = this.#next; i < this.#queue.length; i++) {
      if (this.#taken.has(i)) continue
      const file = this.#queue[i]
      if (!this.#outsideFeature(file.path)) continue
      this.#taken.add(i)
      while (this.#taken.has(this.#next)) this.#taken.delete(this.#next++)
      return file
    }
    return undefined
  }

  #mainCommit(commits: number) {
    const rng = this.#rng
    const changes = new Map<string, Entry | null>()
    const remaining = this.#queue.length - this.#taken.size - this.#next
    const left = Math.max(1, commits - this.#made)
    let adds = rng.chance(0.03)
      ? rng.range(20, 150)
      : Math.round((remaining / left) * 2 * rng.next())
    if (this.#made === commits - 1) adds = remaining
    for (let i = 0; i < adds; i++) {
      const file = this.#nextAdd()
      if (file) this.#add(changes, file)
    }
    const edits = adds > 0 ? rng.range(0, 3) : rng.range(1, 6)
    for (let i = 0; i < edits; i++) {
      const path = this.#paths.pickWhere(rng, (p) => this.#outsideFeature(p) && !changes.has(p))
      if (!path) continue
      const content = editContent({
        content: this.#main.get(path)!.content,
        rng,
        donors: this.#donors,
      })
      this.#set(changes, path, this.#blob(content))
    }
    if (rng.chance(0.08)) {
      for (let i = rng.range(1, 3); i > 0; i--) {
        const path = this.#paths.pickWhere(rng, (p) => this.#outsideFeature(p) && !changes.has(p))
        if (path) this.#set(changes, path, null)
      }
    }
    if (rng.chance(0.06)) this.#rename(changes)
    if (changes.size === 0) return
    const path = [...changes.keys()][0]
    const pkg = path.split('/')[1] ?? 'root'
    const message = `${rng.pick(TYPES)}(${pkg}): ${rng.pick(VERBS)} ${basename(path)}\n`
    this.#commit('refs/heads/main', message, changes)
  }

  /** Moves one file to a sibling folder, or renames a whole folder. */
  #rename(changes: Map<string, Entry | null>) {
    const rng = this.#rng
    const path = this.#paths.pickWhere(rng, (p) => this.#outsideFeature(p) && !changes.has(p))
    if (!path) return
    const dir = dirname(path)
    if (rng.chance(0.3) && dir.split('/').length > 2) {
      const target = `${dirname(dir)}/${rng.pick(DIR_NAMES)}`
      if (this.#paths.filter((p) => p.startsWith(target + '/')).length > 0) return
      const moved = this.#paths.filter((p) => dirname(p) === dir && !changes.has(p)).slice(0, 60)
      for (const from of moved) this.#move(changes, from, `${target}/${basename(from)}`)
      return
    }
    const pkg = path.split('/').slice(0, 2).join('/')
    const sibling = this.#paths.pickWhere(rng, (p) => p.startsWith(pkg + '/') && dirname(p) !== dir)
    const to = sibling
      ? `${dirname(sibling)}/${basename(path)}`
      : `${dir}/${rng.pick(DIR_NAMES)}-${basename(path)}`
    if (!this.#main.has(to)) this.#move(changes, path, to)
  }

  #move(changes: Map<string, Entry | null>, from: string, to: string) {
    const entry = this.#main.get(from)!
    const edited = this.#rng.chance(0.3)
    const next = edited
      ? this.#blob(editContent({ content: entry.content, rng: this.#rng, donors: this.#donors }))
      : entry
    this.#set(changes, from, null)
    this.#set(changes, to, next)
  }

  #openFeature() {
    const anchor = this.#paths.pick(this.#rng)
    const pkg = anchor.split('/').slice(0, 2).join('/')
    const paths = new PathSet()
    for (const p of this.#paths.filter((p) => p.startsWith(pkg + '/'))) paths.add(p)
    if (paths.size < 3) return
    const fork = this.#mainHead
    const ref = `refs/heads/feature/${pkg.split('/')[1]}-${++this.#features}`
    this.#feature = {
      ref,
      pkg,
      fork,
      paths,
      overlay: new Map(),
      planned: this.#rng.range(2, 6),
      made: 0,
    }
  }

  #featureCommit(f: Feature) {
    const rng = this.#rng
    const changes = new Map<string, Entry | null>()
    for (let i = rng.range(1, 4); i > 0; i--) {
      const path = f.paths.pick(rng)
      if (changes.has(path)) continue
      const current = f.overlay.has(path) ? f.overlay.get(path)! : this.#main.get(path)!
      const entry = this.#blob(editContent({ content: current.content, rng, donors: this.#donors }))
      changes.set(path, entry)
    }
    if (rng.chance(0.15) && f.paths.size > 3) {
      const path = f.paths.pick(rng)
      if (!changes.has(path)) {
        changes.set(path, null)
        f.paths.delete(path)
      }
    }
    for (const [p, e] of changes) f.overlay.set(p, e)
    const message = `${rng.pick(TYPES)}(${f.pkg.split('/')[1]}): ${rng.pick(VERBS)} ${basename([...changes.keys()][0])}\n`
    f.head = this.#commit(
      f.ref,
      message,
      changes,
      f.head === undefined ? { from: f.fork } : undefined,
    )
    f.made++
  }

  #merge(f: Feature) {
    this.#feature = null
    if (f.head === undefined) return
    const changes = new Map<string, Entry | null>()
    for (const [p, e] of f.overlay) this.#set(changes, p, e)
    this.#commit(
      'refs/heads/main',
      `Merge branch '${f.ref.slice('refs/heads/'.length)}'\n`,
      changes,
      { merge: f.head },
    )
  }

  #release() {
    const n = ++this.#released
    this.#time += 60
    this.#writer.tag({
      name: `v0.${n}.0`,
      target: this.#mainHead,
      tagger: PEOPLE[0],
      time: this.#time,
      message: `Release v0.${n}.0\n`,
    })
  }
}
