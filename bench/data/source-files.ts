import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Prng } from './prng.ts'

/** One real-world text file (or a line-aligned piece of a large one) placed in the monorepo. */
export interface SourceFile {
  /** monorepo path, e.g. packages/octokit-core/dist-src/index.js */
  path: string
  /** the package folder it lives in, e.g. packages/octokit-core */
  pkg: string
  content: Buffer
}

const EXTENSIONS = ['.d.ts', '.ts', '.js', '.json', '.md']
/** Files above this are cut into pieces so the repository has many files of realistic size. */
const WHOLE_LIMIT = 16_000
const SAFE_PATH = /^[A-Za-z0-9._@+/-]+$/

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function extensionOf(name: string): string | undefined {
  return EXTENSIONS.find((ext) => name.endsWith(ext))
}

/** Every regular file under `dir` (symlinks not followed), in sorted order. */
function walk(dir: string, out: string[] = []): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => byName(a.name, b.name))
  for (const entry of entries) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) walk(full, out)
    else if (entry.isFile()) out.push(full)
  }
  return out
}

/** A fingerprint of the installed packages: the generated data changes when they do. */
export function sourceFingerprint(storeDir: string): string {
  const names = readdirSync(storeDir).sort(byName).join('\n')
  return createHash('sha256').update(names).digest('hex').slice(0, 10)
}

/** Cuts a large file at line boundaries into pieces of log-normally distributed size. */
function* pieces(content: Buffer, rng: Prng): Generator<Buffer> {
  let start = 0
  while (start < content.length) {
    const target = Math.min(16_000, Math.max(150, Math.round(rng.logNormal(700, 0.8))))
    let end = content.indexOf(10, start + target)
    end = end < 0 ? content.length : end + 1
    yield content.subarray(start, end)
    start = end
  }
}

/**
 * Reads the `.js`, `.ts`, `.d.ts`, `.json` and `.md` files of the workspace's pnpm store (one
 * version per package, sorted, so every run sees the same set) and returns them as monorepo files:
 * small files whole (`whole`), large `.js`/`.ts`/`.md` files cut into line-aligned pieces (`pieces`).
 */
export function collectSourceFiles({ storeDir, rng }: { storeDir: string; rng: Prng }) {
  const whole: SourceFile[] = []
  const cut: SourceFile[] = []
  const versionOf = new Map<string, string>()
  const seen = new Set<string>()
  for (const file of walk(storeDir)) {
    const rel = file.slice(storeDir.length + 1)
    const at = rel.indexOf('/node_modules/')
    if (at < 0) continue
    const storeEntry = rel.slice(0, at)
    const inner = rel.slice(at + '/node_modules/'.length).split('/')
    const name = inner[0].startsWith('@') ? inner.slice(0, 2).join('/') : inner[0]
    const rest = inner.slice(name.split('/').length)
    if (rest.length === 0 || rest.includes('node_modules')) continue
    if (!versionOf.has(name)) versionOf.set(name, storeEntry)
    if (versionOf.get(name) !== storeEntry) continue
    const ext = extensionOf(rest[rest.length - 1])
    if (!ext) continue
    const pkg = `packages/${name.replace(/^@/, '').replace('/', '-')}`
    const path = `${pkg}/${rest.join('/')}`
    if (!SAFE_PATH.test(path)) continue
    const content = readFileSync(file)
    if (content.length === 0 || content.includes(0)) continue
    if (content.length <= WHOLE_LIMIT) {
      if (!seen.has(path)) whole.push({ path, pkg, content })
      seen.add(path)
      continue
    }
    if (ext === '.json') continue
    const base = path.slice(0, -ext.length)
    let n = 0
    for (const piece of pieces(content, rng)) {
      // at most 40 pieces a folder: real trees rarely hold thousands of entries in one folder
      const group = String(Math.floor(n / 40)).padStart(3, '0')
      const piecePath = `${base}/${group}/part-${String(++n).padStart(4, '0')}${ext}`
      if (!seen.has(piecePath)) cut.push({ path: piecePath, pkg, content: piece })
      seen.add(piecePath)
    }
  }
  return { whole, pieces: cut }
}
