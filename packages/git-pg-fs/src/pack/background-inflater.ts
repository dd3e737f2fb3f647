import { Worker } from 'node:worker_threads'
import { BadPackError } from '../errors.ts'

/** One zlib stream to inflate: its bytes, and its inflated size when known (for exact output). */
export interface InflateItem {
  data: Buffer
  size?: number
}

/**
 * The worker's code (plain JavaScript, so that it runs the same from source and from `dist`):
 * it takes a batch of streams in one buffer and sends back each stream's output in a buffer of
 * its own, transferred, so the main thread neither inflates nor allocates; a stream of known size
 * goes into a buffer of that size and a byte more, and the length it filled says whether it was
 * that size. One zlib engine is
 * reset and reused for every stream, as `inflateStream` does.
 */
const WORKER = `
const { parentPort } = require('node:worker_threads')
const zlib = require('node:zlib')
const scratch = Buffer.allocUnsafeSlow(1 << 20)
let engine = null
const fresh = () => { const e = new zlib.Inflate(); e.on('error', () => {}); return e }
function inflate(data, size) {
  engine ??= fresh()
  const out = size >= 0 ? Buffer.from(new ArrayBuffer(size + 1)) : scratch
  engine._handle.reset()
  engine._handle.writeSync(zlib.constants.Z_SYNC_FLUSH, data, 0, data.length, out, 0, out.length)
  if (engine._handle === null) { engine = null; throw new Error('corrupt compressed data') }
  const produced = out.length - engine._writeState[0]
  if (size >= 0) return [out.buffer, produced]
  const whole = produced === out.length ? zlib.inflateSync(data) : out.subarray(0, produced)
  const own = new Uint8Array(whole.length)
  own.set(whole)
  return [own.buffer, own.length]
}
parentPort.on('message', ({ id, input, spans }) => {
  const outputs = []
  const lengths = []
  try {
    const bytes = Buffer.from(input)
    for (let i = 0; i < spans.length; i += 3) {
      const [buffer, length] = inflate(bytes.subarray(spans[i], spans[i + 1]), spans[i + 2])
      outputs.push(buffer)
      lengths.push(length)
    }
    parentPort.postMessage({ id, outputs, lengths }, outputs)
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message) })
  }
})
`

/** The worker's answer to a batch: each output and how much of it the stream filled. */
interface Inflated {
  outputs: ArrayBuffer[]
  lengths: number[]
}

/**
 * Bytes between two streams that lie in order in one buffer (a COPY chunk's rows: the fields
 * between their data) up to which they are copied as one region, with what lies between.
 */
const REGION_GAP = 256

/**
 * The streams in one transferable buffer, and each one's start, end and size (-1: unknown).
 * Streams that lie in order in one buffer with little between them (rows of one COPY chunk) are
 * copied a region at a time: thousands of small copies cost far more than their bytes.
 */
function packItems(items: readonly InflateItem[]): { input: ArrayBuffer; spans: number[] } {
  const spans = new Array<number>(items.length * 3)
  const regions: Uint8Array[] = []
  let total = 0
  for (let i = 0; i < items.length;) {
    const first = items[i].data
    let end = first.byteOffset + first.length
    let j = i + 1
    for (; j < items.length; j++) {
      const d = items[j].data
      if (d.buffer !== first.buffer || d.byteOffset < end || d.byteOffset - end > REGION_GAP) break
      end = d.byteOffset + d.length
    }
    // where byte 0 of the region's buffer would be in the input
    const origin = total - first.byteOffset
    for (let k = i; k < j; k++) {
      const d = items[k].data
      spans[3 * k] = origin + d.byteOffset
      spans[3 * k + 1] = origin + d.byteOffset + d.length
      spans[3 * k + 2] = items[k].size ?? -1
    }
    regions.push(new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset))
    total += end - first.byteOffset
    i = j
  }
  // not zero-filled first: every byte is written below (a buffer of its own, so transferable)
  const bytes = Buffer.allocUnsafeSlow(total)
  const input = bytes.buffer as ArrayBuffer
  let at = 0
  for (const r of regions) {
    bytes.set(r, at)
    at += r.length
  }
  return { input, spans }
}

function asBuffers(outputs: ArrayBuffer[], lengths: number[]): Buffer[] {
  const out = new Array<Buffer>(outputs.length)
  for (let i = 0; i < outputs.length; i++) out[i] = Buffer.from(outputs[i], 0, lengths[i])
  return out
}

interface Pending {
  resolve: (inflated: Inflated) => void
  reject: (err: Error) => void
}

/**
 * Inflates batches of zlib streams on a worker thread, so that a large read (grep's scan of every
 * blob at a commit) inflates on the other core while the main thread parses rows and searches.
 * The worker starts at `start` or the first batch, and keeps the process alive only while it has work. An
 * output is `size` bytes when the stream is that size (more or fewer shows it is not: the caller
 * checks), else the stream's whole output. Corrupt data rejects with `BadPackError`.
 *
 * @example
 * const inflater = new BackgroundInflater()
 * const [content] = await inflater.inflate([{ data: row.data, size: row.size }])
 */
export class BackgroundInflater {
  #worker: Worker | null = null
  #nextId = 0
  readonly #pending = new Map<number, Pending>()

  async inflate(items: readonly InflateItem[]): Promise<Buffer[]> {
    if (items.length === 0) return []
    const { input, spans } = packItems(items)
    const id = this.#nextId++
    const { outputs, lengths } = await new Promise<Inflated>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      const worker = this.#start()
      worker.ref()
      worker.postMessage({ id, input, spans }, [input])
    })
    return asBuffers(outputs, lengths)
  }

  /** Starts the worker ahead of the first batch (a server does at its start), idle until then. */
  start(): void {
    this.#start()
  }

  #start(): Worker {
    if (this.#worker) return this.#worker
    const worker = new Worker(WORKER, { eval: true, execArgv: [] })
    worker.on(
      'message',
      ({ id, error, ...inflated }: Partial<Inflated> & { id: number; error?: string }) => {
        const pending = this.#pending.get(id)
        this.#pending.delete(id)
        // idle, the worker does not keep the process alive
        if (this.#pending.size === 0) worker.unref()
        if (inflated.outputs && inflated.lengths)
          pending?.resolve({ outputs: inflated.outputs, lengths: inflated.lengths })
        else pending?.reject(new BadPackError(error ?? 'corrupt compressed data'))
      },
    )
    const fail = (err: Error) => {
      if (this.#worker === worker) this.#worker = null
      for (const p of this.#pending.values()) p.reject(err)
      this.#pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`the inflate worker exited with code ${code}`)))
    // after the listeners: adding one refs the worker again
    worker.unref()
    this.#worker = worker
    return worker
  }

  /** Stops the worker (a later batch starts another). */
  async close(): Promise<void> {
    const worker = this.#worker
    this.#worker = null
    await worker?.terminate()
  }
}
