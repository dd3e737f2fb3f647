import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../test/support/mulberry32.ts'
import { type BlobSource, detectRenames, type RenameInput, spanCounts } from '../src/index.ts'

let dir: string
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' }
const git = (args: string[], input?: Buffer) =>
  execFileSync('git', args, { cwd: dir, env: { ...env, HOME: dir }, input, stdio: 'pipe' })

/** Blobs held in memory, by id. */
function memoryBlobs(blobs: Map<string, Buffer>): BlobSource {
  return {
    sizes: async (oids) => new Map(oids.map((o) => [o, blobs.get(o)!.length])),
    read: async (oids) => new Map(oids.map((o) => [o, blobs.get(o)!])),
  }
}

/** Content pairs of every shape the fingerprint must handle. */
function cases(): [string, Buffer, Buffer][] {
  const rnd = mulberry32(7)
  const text = (n: number, width: number, eol = '\n') =>
    Array.from({ length: n }, () =>
      Array.from({ length: 1 + Math.floor(rnd() * width) }, () =>
        String.fromCharCode(97 + Math.floor(rnd() * 26)),
      ).join(''),
    ).join(eol) + (rnd() < 0.5 ? eol : '')
  const mutate = (b: Buffer, rate: number) =>
    Buffer.from(b.map((x) => (rnd() < rate ? 32 + Math.floor(rnd() * 90) : x)))
  const out: [string, Buffer, Buffer][] = []
  for (let i = 0; i < 12; i++) {
    const a = Buffer.from(text(20 + i * 7, 10 + i * 12))
    out.push([`text ${i}`, a, mutate(a, [0.001, 0.01, 0.03, 0.1][i % 4])])
  }
  const crlf = text(40, 30, '\r\n')
  out.push(['CRLF against LF', Buffer.from(crlf), Buffer.from(crlf.replaceAll('\r\n', '\n'))])
  const binary = Buffer.from(Array.from({ length: 3000 }, () => Math.floor(rnd() * 256)))
  binary[5] = 0
  out.push(['binary', binary, mutate(binary, 0.02)])
  out.push(['binary with CRLF bytes', Buffer.concat([binary, Buffer.from('\r\n\r\n')]), binary])
  const long = Buffer.from(text(3, 500))
  out.push(['lines past 64 bytes', long, mutate(long, 0.01)])
  out.push(['no newline at all', Buffer.from('x'.repeat(63)), Buffer.from('x'.repeat(62) + 'y')])
  out.push(['grown', Buffer.from(text(30, 20)), Buffer.from(text(30, 20) + text(10, 20))])
  return out
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitpg-renames-'))
  git(['init', '-q', '-b', 'main'])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('detectRenames', () => {
  it("scores content pairs as git diff -M1% does (git's fingerprint)", async () => {
    const all = cases()
    const blobs = new Map<string, Buffer>()
    all.forEach(([, a], i) => {
      mkdirSync(join(dir, 'old'), { recursive: true })
      writeFileSync(join(dir, 'old', `f${i}`), a)
    })
    git(['add', '-A'])
    git(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'a'])
    rmSync(join(dir, 'old'), { recursive: true })
    all.forEach(([, , b], i) => {
      mkdirSync(join(dir, 'new'), { recursive: true })
      writeFileSync(join(dir, 'new', `g${i}`), b)
    })
    git(['add', '-A'])
    git(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'b'])
    let renamed = 0
    for (const [i, [name, a, b]] of all.entries()) {
      const want = git([
        'diff',
        '-M1%',
        '--name-status',
        'HEAD~',
        'HEAD',
        '--',
        `old/f${i}`,
        `new/g${i}`,
      ])
        .toString()
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0])
      const oa = git(['hash-object', '--stdin'], a).toString().trim()
      const ob = git(['hash-object', '--stdin'], b).toString().trim()
      blobs.set(oa, a)
      blobs.set(ob, b)
      const changes: RenameInput[] = [
        {
          path: `new/g${i}`,
          status: 'A',
          oldOid: null,
          newOid: ob,
          oldMode: null,
          newMode: '100644',
        },
        {
          path: `old/f${i}`,
          status: 'D',
          oldOid: oa,
          newOid: null,
          oldMode: '100644',
          newMode: null,
        },
      ]
      const { changes: got } = await detectRenames({
        changes,
        blobs: memoryBlobs(blobs),
        options: { minimumScore: 600 },
      })
      const statuses = got.map((c) =>
        c.score === null
          ? c.status
          : `${c.status}${String(Math.floor((c.score * 100) / 60000)).padStart(3, '0')}`,
      )
      expect(statuses, name).toEqual(want)
      if (want[0].startsWith('R')) renamed++
    }
    expect(renamed).toBeGreaterThan(10)
  })

  it('counts a CRLF text as its LF form', () => {
    const lf = Buffer.from('one\ntwo\nthree\n')
    const crlf = Buffer.from('one\r\ntwo\r\nthree\r\n')
    expect(spanCounts(crlf)).toEqual(spanCounts(lf))
  })

  it('stops at the byte budget, keeping exact renames', async () => {
    // fingerprints are cached by blob id: each run names blobs of its own
    const full = await budgetRun('0', {})
    expect(full.limited).toBe(false)
    expect(full.changes.map((c) => `${c.status} ${c.path}`)).toEqual(['R y', 'R z2'])
    const cut = await budgetRun('1', { maxBytes: 10 })
    expect(cut.limited).toBe(true)
    expect(cut.changes.map((c) => `${c.status} ${c.path}`)).toEqual(['D x', 'A y', 'R z2'])
  })

  it('skips the similarity matrix whole when it would take more than maxSteps', async () => {
    const full = await budgetRun('2', {})
    expect(full.limited).toBe(false)
    expect(full.steps).toBeGreaterThan(1)
    expect(full.changes.map((c) => `${c.status} ${c.path}`)).toEqual(['R y', 'R z2'])
    const exact = await budgetRun('3', { maxSteps: full.steps })
    expect(exact.limited).toBe(false)
    expect(exact.steps).toBe(full.steps)
    expect(exact.changes.map((c) => `${c.status} ${c.path} ${c.score}`)).toEqual(
      full.changes.map((c) => `${c.status} ${c.path} ${c.score}`),
    )
    const cut = await budgetRun('4', { maxSteps: full.steps - 1 })
    expect(cut.limited).toBe(true)
    expect(cut.steps).toBe(0)
    expect(cut.changes.map((c) => `${c.status} ${c.path}`)).toEqual(['D x', 'A y', 'R z2'])
  })
})

/** A delete and add that rename inexactly, and an exact rename, with blobs named by `tag`. */
function budgetRun(tag: string, options: { maxBytes?: number; maxSteps?: number }) {
  const id = (c: string) => `${tag}${c.repeat(39)}`
  const blobs = new Map<string, Buffer>([
    [id('a'), Buffer.from('alpha\nbeta\ngamma\n')],
    [id('b'), Buffer.from('alpha\nbeta\ngamma!\n')],
    [id('c'), Buffer.from('same\n')],
  ])
  const file = { oldOid: null, newOid: null, oldMode: null, newMode: null }
  const changes: RenameInput[] = [
    { ...file, path: 'x', status: 'D', oldOid: id('a'), oldMode: '100644' },
    { ...file, path: 'y', status: 'A', newOid: id('b'), newMode: '100644' },
    { ...file, path: 'z1', status: 'D', oldOid: id('c'), oldMode: '100644' },
    { ...file, path: 'z2', status: 'A', newOid: id('c'), newMode: '100644' },
  ]
  return detectRenames({ changes, blobs: memoryBlobs(blobs), options })
}
