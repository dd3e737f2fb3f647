import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BadPackError } from '../src/errors.ts'
import {
  inflateEntry,
  OFS_DELTA,
  readEntryHeader,
  REF_DELTA,
  TruncatedEntryError,
} from '../src/pack/pack-entry.ts'
import { readPack, streamPack } from '../src/pack/read-pack.ts'
import { parsePackStream } from '../src/pack/parse-pack-stream.ts'
import { SpooledPack } from '../src/pack/spooled-pack.ts'
import { makeObject, type GitObject } from '../src/objects/git-object.ts'
import { createDelta } from '../src/pack/create-delta.ts'
import { entryHeader, packHeader } from '../src/pack/pack-writer.ts'

let dir: string
let pack: Buffer

/** A pack made by git: text files edited over commits (deltas) and a large random blob. */
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitpg-stream-pack-'))
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir })
  git('init', '-q')
  git('config', 'user.name', 'T')
  git('config', 'user.email', 't@example.com')
  for (let c = 0; c < 5; c++) {
    for (let f = 0; f < 10; f++)
      writeFileSync(join(dir, `f${f}.txt`), `file ${f}\n`.repeat(200) + `edit ${c}\n`)
    if (c === 2) writeFileSync(join(dir, 'big.bin'), randomBytes(400_000))
    git('add', '.')
    git('commit', '-qm', `c${c}`)
  }
  pack = execFileSync('git', ['pack-objects', '--stdout', '--all', '-q'], {
    cwd: dir,
    input: '',
    maxBuffer: 1 << 26,
  })
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function* chunked(bytes: Buffer, sizes: () => number) {
  for (let i = 0; i < bytes.length;) {
    const n = Math.max(1, sizes())
    yield bytes.subarray(i, i + n)
    i += n
    await Promise.resolve()
  }
}

async function collect(source: AsyncIterable<GitObject>) {
  const out: GitObject[] = []
  for await (const o of source) out.push(o)
  return out.map((o) => `${o.type} ${o.oid} ${o.content.length}`).sort()
}

const pieces: [string, () => number][] = [
  ['one byte at a time', () => 1],
  ['7-byte pieces', () => 7],
  ['random pieces up to 16 KB', () => Math.floor(Math.random() * 16_384)],
  ['one piece', () => 1 << 30],
]

describe('streamPack over a stream of chunks', () => {
  it.each(pieces)('yields the same objects as readPack, in %s', async (_, sizes) => {
    const expected = (await readPack(pack)).map((o) => `${o.type} ${o.oid} ${o.content.length}`)
    expect(expected.some((e) => e.startsWith('blob') && e.endsWith(' 400000'))).toBe(true)
    expect(await collect(streamPack(chunked(pack, sizes)))).toEqual(expected.sort())
  })

  it('rebuilds delta bases from the pack bytes when none fit the memory budget', async () => {
    const expected = (await readPack(pack)).map((o) => `${o.type} ${o.oid} ${o.content.length}`)
    let deltas = 0
    for (let i = 12, n = 0; n < pack.readUInt32BE(8); n++) {
      const header = readEntryHeader(pack, i, pack.length - 20)!
      if (header.entry.code === OFS_DELTA || header.entry.code === REF_DELTA) deltas++
      i = header.dataAt + inflateEntry(pack, header.dataAt, pack.length, header.size).used
    }
    expect(deltas).toBeGreaterThan(20)
    // none kept, and some kept while others are pushed out as the budget fills
    for (const baseBudget of [1, 16 * 1024]) {
      expect(await collect(streamPack(pack, { baseBudget }))).toEqual(expected.sort())
      expect(
        await collect(
          streamPack(
            chunked(pack, () => 4096),
            { baseBudget },
          ),
        ),
      ).toEqual(expected.sort())
    }
  })

  it('reads each entry with one reused inflater, whatever came before it', () => {
    // a corrupt entry must not spoil the entries read after it
    const header = readEntryHeader(pack, 12, pack.length - 20)!
    const good = inflateEntry(pack, header.dataAt, pack.length, header.size)
    const bad = Buffer.from(pack)
    bad[header.dataAt + 1] ^= 0xff
    expect(() => inflateEntry(bad, header.dataAt, bad.length, header.size)).toThrow(BadPackError)
    expect(() => inflateEntry(pack, header.dataAt, header.dataAt + 2, header.size)).toThrow(
      TruncatedEntryError,
    )
    expect(inflateEntry(pack, header.dataAt, pack.length, header.size)).toEqual(good)
    // a stream that ends exactly where the bytes end reads as cut short: more may follow
    const exact = header.dataAt + good.used
    expect(() => inflateEntry(pack, header.dataAt, exact, header.size)).toThrow(TruncatedEntryError)
    expect(() => inflateEntry(pack, header.dataAt, pack.length, header.size + 1)).toThrow(
      BadPackError,
    )
  })

  const flip = (at: number) => {
    const b = Buffer.from(pack)
    b[at] ^= 0xff
    return b
  }
  it.each([
    ['truncated in the middle', () => pack.subarray(0, pack.length >> 1)],
    ['truncated in the checksum', () => pack.subarray(0, pack.length - 5)],
    ['without its checksum', () => pack.subarray(0, pack.length - 20)],
    ['with trailing garbage', () => Buffer.concat([pack, Buffer.from('x')])],
    ['a flipped checksum byte', () => flip(pack.length - 1)],
    ['a flipped byte inside an object', () => flip(pack.length >> 1)],
    ['a flipped signature', () => flip(0)],
    ['empty', () => Buffer.alloc(0)],
  ])('rejects a pack %s with BadPackError', async (_, bytes) => {
    const error = await collect(
      streamPack(chunked(bytes(), () => Math.floor(Math.random() * 4096))),
    ).then(
      () => null,
      (err: unknown) => err,
    )
    expect(error).toBeInstanceOf(BadPackError)
  })
})

describe('streamPack over a pack larger than its memory window', () => {
  it('reads delta bases back from the spool file once they have left memory', async () => {
    const big = mkdtempSync(join(tmpdir(), 'gitpg-spool-pack-'))
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: big })
      git('init', '-q')
      git('config', 'user.name', 'T')
      git('config', 'user.email', 't@example.com')
      const files = [0, 1, 2].map(() => randomBytes(2_500_000))
      for (let c = 0; c < 3; c++) {
        for (const [f, content] of files.entries()) {
          content.write(`edit ${c}`, 1000 * (c + 1))
          writeFileSync(join(big, `f${f}.bin`), content)
        }
        git('add', '.')
        git('commit', '-qm', `c${c}`)
      }
      const bigPack = execFileSync('git', ['pack-objects', '--stdout', '--all', '-q'], {
        cwd: big,
        input: '',
        maxBuffer: 1 << 28,
      })
      expect(bigPack.length).toBeGreaterThan(6 << 20)
      const expected = await collect(streamPack(bigPack))
      expect(expected.filter((e) => e.endsWith(' 2500000'))).toHaveLength(9)
      const streamed = await collect(
        streamPack(
          chunked(bigPack, () => 65536),
          { baseBudget: 1 },
        ),
      )
      expect(streamed).toEqual(expected)
    } finally {
      rmSync(big, { recursive: true, force: true })
    }
  })
})

describe('streamPack with a ref delta before its base', () => {
  it('keeps the waiting delta as an offset and reads it again from the spool', async () => {
    const a = makeObject('blob', randomBytes(5 << 20))
    const changed = Buffer.from(a.content)
    changed.write('changed', 1234)
    const b = makeObject('blob', changed)
    const c = makeObject('blob', Buffer.from('last\n'))
    const delta = createDelta(a.content, b.content)!
    const entries = [
      Buffer.concat([entryHeader(REF_DELTA, delta.length), Buffer.from(a.oid, 'hex')]),
      deflateSync(delta),
      entryHeader(3, a.content.length),
      deflateSync(a.content, { level: 1 }),
      entryHeader(3, c.content.length),
      deflateSync(c.content),
    ]
    const body = Buffer.concat([packHeader(3), ...entries])
    const refPack = Buffer.concat([body, createHash('sha1').update(body).digest()])
    const expected = [a, b, c].map((o) => `${o.type} ${o.oid} ${o.content.length}`).sort()
    expect(await collect(streamPack(refPack))).toEqual(expected)
    expect(
      await collect(
        streamPack(
          chunked(refPack, () => 65536),
          { baseBudget: 1 },
        ),
      ),
    ).toEqual(expected)
  })
})

const MiB = 1 << 20

/** A pack of `objects`, each stored whole as a blob. */
function packOf(contents: Buffer[]): Buffer {
  const body = Buffer.concat([
    packHeader(contents.length),
    ...contents.flatMap((c) => [entryHeader(3, c.length), deflateSync(c, { level: 1 })]),
  ])
  return Buffer.concat([body, createHash('sha1').update(body).digest()])
}

async function* piecesOf(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) {
    yield bytes.subarray(i, i + size)
    await Promise.resolve()
  }
}

describe('parsePackStream with large objects', () => {
  it('holds a window far smaller than one large entry while inflating it', async () => {
    const contents = [randomBytes(24 * MiB), Buffer.from('small\n'), randomBytes(2 * MiB)]
    const pack = packOf(contents)
    const input = new SpooledPack(piecesOf(pack, 256 * 1024))
    let window = 0
    const sizes: number[] = []
    try {
      const watch = input.more.bind(input)
      input.more = async () => {
        const more = await watch()
        window = Math.max(window, input.data.length)
        return more
      }
      for await (const e of parsePackStream(input)) sizes.push(e.data.length)
    } finally {
      input.dispose()
    }
    expect(sizes).toEqual(contents.map((c) => c.length))
    expect(window).toBeLessThanOrEqual(16 * MiB)
  })

  it('yields the same objects streamed as from a whole pack', async () => {
    const contents = [randomBytes(3 * MiB), Buffer.alloc(5 * MiB, 'a'), Buffer.from('x')]
    const pack = packOf(contents)
    const expected = contents.map((c) => makeObject('blob', c).oid)
    const oids: string[] = []
    for await (const o of streamPack(piecesOf(pack, 7777))) oids.push(o.oid)
    expect(oids).toEqual(expected)
  })

  it('refuses a large entry cut short or corrupt with BadPackError', async () => {
    const pack = packOf([randomBytes(3 * MiB)])
    const corrupt = Buffer.from(pack)
    corrupt[2 * MiB] ^= 0xff
    for (const bytes of [pack.subarray(0, 2 * MiB), corrupt]) {
      const error = await (async () => {
        for await (const o of streamPack(piecesOf(bytes, 65536))) void o
      })().then(
        () => null,
        (err: unknown) => err,
      )
      expect(error).toBeInstanceOf(BadPackError)
    }
  })
})

describe('streamPack lending large objects', () => {
  const contents = [
    randomBytes(3 * MiB),
    randomBytes(3 * MiB),
    Buffer.from('x'),
    randomBytes(2 * MiB),
  ]
  const pack = packOf(contents)
  const expected = contents.map((c) => makeObject('blob', c).oid)

  it('reuses the memory of a lent object once the next one is asked for', async () => {
    const memory: ArrayBufferLike[] = []
    const oids: string[] = []
    for await (const o of streamPack(piecesOf(pack, 65536), { lendAbove: MiB, baseBudget: MiB })) {
      oids.push(makeObject(o.type, o.content).oid)
      memory.push(o.content.buffer)
    }
    expect(oids).toEqual(expected)
    expect(memory[1]).toBe(memory[0])
    expect(memory[3]).toBe(memory[0])
  })

  it('lends nothing unless asked, nor what it keeps as a delta base', async () => {
    const unasked: ArrayBufferLike[] = []
    for await (const o of streamPack(piecesOf(pack, 65536))) unasked.push(o.content.buffer)
    expect(unasked[1]).not.toBe(unasked[0])
    const kept: ArrayBufferLike[] = []
    for await (const o of streamPack(piecesOf(pack, 65536), { lendAbove: MiB }))
      kept.push(o.content.buffer)
    expect(kept[1]).not.toBe(kept[0])
  })
})
