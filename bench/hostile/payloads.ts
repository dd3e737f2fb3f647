import { spawn } from 'node:child_process'
import { createHash, randomFillSync } from 'node:crypto'
import { once } from 'node:events'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createDeflate, createGzip, type Deflate, type Gzip } from 'node:zlib'
import { run } from '../lib/run-command.ts'
import { commitPack, type PackEntry } from './crafted-pack.ts'
import { FLUSH, pkt } from './pkt-line.ts'

const MiB = 2 ** 20

/** `unit` repeated to `bytes` (the last copy cut), in chunks of about 1 MiB. */
export function* repeated(unit: Buffer, bytes: number): Generator<Buffer> {
  const chunk = Buffer.alloc(Math.max(unit.length, Math.floor(MiB / unit.length) * unit.length))
  for (let at = 0; at < chunk.length; at += unit.length) unit.copy(chunk, at)
  for (let left = bytes; left > 0; left -= chunk.length)
    yield left >= chunk.length ? chunk : chunk.subarray(0, left)
}

/** Runs `chunks` through a zlib stream and returns what it wrote. */
async function compress(z: Deflate | Gzip, chunks: Iterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = []
  z.on('data', (c: Buffer) => out.push(c))
  const ended = once(z, 'end')
  for (const chunk of chunks) if (!z.write(chunk)) await once(z, 'drain')
  z.end()
  await ended
  return Buffer.concat(out)
}

/** A file under `dir` made once by `make` and read back on later runs. */
async function cached(dir: string, name: string, make: () => Promise<Buffer>): Promise<Buffer> {
  const file = join(dir, name)
  if (existsSync(file)) return readFileSync(file)
  mkdirSync(dir, { recursive: true })
  const data = await make()
  writeFileSync(file, data)
  return data
}

/**
 * A push of one commit whose only file is `size` zero bytes: the blob's zlib stream inflates to
 * `size` from about size/1000 bytes on the wire.
 */
export async function zeroBlobPush(
  dir: string,
  size: number,
): Promise<{ commit: string; pack: Buffer }> {
  const zeros = Buffer.alloc(MiB)
  const zlib = await cached(dir, `zeros-${size}.zlib`, () =>
    compress(createDeflate({ level: 9 }), repeated(zeros, size)),
  )
  const sha = createHash('sha1').update(`blob ${size}\0`)
  for (const chunk of repeated(zeros, size)) sha.update(chunk)
  const blob: PackEntry = { type: 'blob', size, zlib }
  return commitPack({
    tree: [{ name: 'zeros.bin', oid: sha.digest('hex') }],
    blobs: [blob],
    message: `a file of ${size} zero bytes`,
  })
}

/** `bytes` of zeros, gzipped: about bytes/1000 on the wire. */
export function gzipZeros(dir: string, bytes: number): Promise<Buffer> {
  return cached(dir, `zeros-${bytes}.gz`, () =>
    compress(createGzip({ level: 9 }), repeated(Buffer.alloc(MiB), bytes)),
  )
}

/**
 * An upload-pack request that inflates to about `bytes`: a want, then the same have line over and
 * over, then done; gzipped as git sends large negotiation requests.
 */
export function gzipHaveFlood(dir: string, want: string, bytes: number): Promise<Buffer> {
  return cached(dir, `haves-${want.slice(0, 12)}-${bytes}.gz`, () => {
    const head = Buffer.concat([pkt(`want ${want} multi_ack_detailed side-band-64k\n`), FLUSH])
    const have = pkt(`have ${'1'.repeat(40)}\n`)
    const parts = [head, ...repeated(have, bytes - (bytes % have.length)), pkt('done\n')]
    return compress(createGzip({ level: 9 }), parts)
  })
}

/**
 * An upload-pack request with `count` distinct have lines (ids that exist nowhere) after one
 * want, ending with done: made chunk by chunk as it is sent, so the client holds 1 MiB of it.
 */
export async function* haveFlood(want: string, count: number): AsyncGenerator<Buffer> {
  yield Buffer.concat([pkt(`want ${want} multi_ack_detailed side-band-64k\n`), FLUSH])
  const line = pkt(`have ${'0'.repeat(40)}\n`)
  const perChunk = 20_000
  const chunk = Buffer.alloc(line.length * perChunk)
  for (let i = 0; i < perChunk; i++) line.copy(chunk, i * line.length)
  // each line's id: 8 hex digits of the chunk number, then 32 random hex digits fixed per line
  const random = randomFillSync(Buffer.alloc(16 * perChunk))
  for (let i = 0; i < perChunk; i++)
    chunk.write(
      random.subarray(i * 16, i * 16 + 16).toString('hex'),
      i * line.length + 17,
      'latin1',
    )
  for (let sent = 0, n = 0; sent < count; sent += perChunk, n++) {
    const lines = Math.min(perChunk, count - sent)
    const prefix = n.toString(16).padStart(8, '0')
    for (let i = 0; i < lines; i++) chunk.write(prefix, i * line.length + 9, 'latin1')
    // a copy: the request may still hold the last chunk while this one is rewritten
    yield Buffer.from(chunk.subarray(0, lines * line.length))
  }
  yield pkt('done\n')
}

/**
 * A bare repository with one commit of `files` incompressible random files of `total` bytes
 * together, made with `git fast-import` once and kept. Stored without compression or deltas
 * (`pack.compression=0`, `core.bigFileThreshold=1m`), so pushing it costs git no CPU to speak of.
 */
export async function randomRepo(dir: string, total: number, files: number): Promise<string> {
  const gitdir = join(dir, `random-${total}-${files}.git`)
  const done = join(gitdir, 'bench-complete')
  if (existsSync(done)) return gitdir
  await run('rm', ['-rf', gitdir])
  await run('git', ['init', '-q', '--bare', '-b', 'main', gitdir])
  for (const [key, value] of [
    ['core.compression', '0'],
    ['pack.compression', '0'],
    ['core.bigFileThreshold', '1m'],
    ['pack.window', '0'],
  ])
    await run('git', ['config', key, value], { cwd: gitdir })
  const child = spawn('git', ['fast-import', '--quiet', '--big-file-threshold=1m'], {
    cwd: gitdir,
    stdio: ['pipe', 'ignore', 'inherit'],
  })
  const exited = once(child, 'close')
  const write = async (data: string | Buffer) => {
    if (!child.stdin.write(data)) await once(child.stdin, 'drain')
  }
  const size = Math.floor(total / files)
  for (let f = 1; f <= files; f++) {
    await write(`blob\nmark :${f}\ndata ${size}\n`)
    for (let left = size; left > 0; left -= MiB)
      await write(randomFillSync(Buffer.alloc(Math.min(MiB, left))))
    await write('\n')
  }
  await write('commit refs/heads/main\ncommitter Bench <bench@example.com> 1700000000 +0000\n')
  await write(`data 12\nrandom data\n`)
  for (let f = 1; f <= files; f++)
    await write(`M 100644 :${f} random/file-${String(f).padStart(3, '0')}.bin\n`)
  child.stdin.end('\n')
  const [code] = (await exited) as [number | null]
  if (code !== 0) throw new Error(`git fast-import exited ${code} making ${gitdir}`)
  writeFileSync(done, '')
  return gitdir
}
