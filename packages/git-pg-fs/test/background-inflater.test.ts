import { randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { BadPackError } from '../src/errors.ts'
import { BackgroundInflater } from '../src/pack/background-inflater.ts'

const inflater = new BackgroundInflater()
afterAll(() => inflater.close())

describe('BackgroundInflater', () => {
  it('inflates a batch in order, each output in a buffer of its own', async () => {
    const contents = [
      Buffer.from('hello\n'),
      Buffer.alloc(0),
      randomBytes(70_000),
      Buffer.alloc(3 * 1024 * 1024, 'ab'), // past the worker's 1 MB scratch, size unknown
      Buffer.from('x'.repeat(5000)),
    ]
    const items = contents.map((c, i) => ({
      data: deflateSync(c),
      size: i % 2 ? undefined : c.length,
    }))
    const out = await inflater.inflate(items)
    expect(out).toHaveLength(contents.length)
    out.forEach((o, i) => {
      expect(o.equals(contents[i])).toBe(true)
      // its own memory, not a slice of a batch or a pool slab
      expect(o.byteOffset).toBe(0)
      expect(o.buffer.byteLength).toBeLessThanOrEqual(o.length + 1)
    })
  })

  it('inflates streams that lie in one buffer, with bytes between them, in any order', async () => {
    // as rows of a COPY chunk: streams with other fields between them, some far apart
    const contents = Array.from({ length: 6 }, (_, i) =>
      Buffer.from(`stream ${i}\n`.repeat(i * 40)),
    )
    const gaps = [0, 7, 300, 1, 90, 2000]
    const parts: Buffer[] = []
    const spans: [number, number][] = []
    let at = 0
    contents.forEach((c, i) => {
      parts.push(Buffer.alloc(gaps[i], 0xee))
      at += gaps[i]
      const data = deflateSync(c)
      parts.push(data)
      spans.push([at, at + data.length])
      at += data.length
    })
    const whole = Buffer.concat(parts)
    const order = [0, 1, 2, 4, 3, 5]
    const out = await inflater.inflate(
      order.map((i) => ({ data: whole.subarray(...spans[i]), size: contents[i].length })),
    )
    order.forEach((i, k) => expect(out[k].equals(contents[i])).toBe(true))
    // the caller's buffer is untouched (copied, not transferred)
    expect(whole.length).toBe(at)
  })

  it('answers batches asked for at once, each with its own outputs', async () => {
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => Buffer.from(`batch ${b} item ${i}\n`.repeat(i + 1))),
    )
    const answers = await Promise.all(
      batches.map((b) =>
        inflater.inflate(b.map((c) => ({ data: deflateSync(c), size: c.length }))),
      ),
    )
    answers.forEach((a, b) => expect(a.map(String)).toEqual(batches[b].map(String)))
  })

  it('shows a stream that is not the size given by the length of its output', async () => {
    const content = Buffer.from('twelve bytes')
    const [longer, shorter] = await inflater.inflate([
      { data: deflateSync(content), size: 5 },
      { data: deflateSync(content), size: 20 },
    ])
    expect(longer.length).toBe(6)
    expect(shorter.length).toBe(12)
  })

  it('rejects corrupt data with BadPackError, and inflates the next batch', async () => {
    const bad = inflater.inflate([{ data: Buffer.from('not zlib at all'), size: 3 }])
    await expect(bad).rejects.toBeInstanceOf(BadPackError)
    await expect(bad).rejects.toMatchObject({ code: 'BAD_PACK' })
    const [ok] = await inflater.inflate([{ data: deflateSync('fine'), size: 4 }])
    expect(ok.toString()).toBe('fine')
  })
})
