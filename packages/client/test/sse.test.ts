import { describe, expect, it } from 'vitest'
import { readSse, type SseMessage } from '../src/index.ts'

/** A stream that delivers `text` cut into the given chunk sizes (the rest in one last chunk). */
function streamOf(text: string, sizes: number[] = []): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  const chunks: Uint8Array[] = []
  let at = 0
  for (const size of sizes) {
    chunks.push(bytes.subarray(at, at + size))
    at += size
  }
  chunks.push(bytes.subarray(at))
  return new ReadableStream({
    pull(controller) {
      const next = chunks.shift()
      if (next) controller.enqueue(next)
      else controller.close()
    },
  })
}

async function parse(text: string, sizes?: number[]): Promise<SseMessage[]> {
  const out: SseMessage[] = []
  for await (const message of readSse(streamOf(text, sizes))) out.push(message)
  return out
}

describe('readSse', () => {
  it('reads ids, event names and multi-line data, and skips comments', async () => {
    const text =
      ': heartbeat\n\nid: 1\nevent: pending.saved\ndata: {"a":1}\n\n' +
      'data: line one\ndata:line two\n\nid: 3\ndata\n\n'
    expect(await parse(text)).toEqual([
      { id: '1', event: 'pending.saved', data: '{"a":1}' },
      { id: undefined, event: 'message', data: 'line one\nline two' },
      { id: '3', event: 'message', data: '' },
    ])
  })

  it('takes LF, CRLF and CR line ends, split anywhere between chunks, and UTF-8 split mid-character', async () => {
    const text = 'id: 7\r\nevent: x\rdata: café ✓\r\n\r\nid: 8\ndata: b\n\n'
    const expected = [
      { id: '7', event: 'x', data: 'café ✓' },
      { id: '8', event: 'message', data: 'b' },
    ]
    const length = new TextEncoder().encode(text).length
    for (let cut = 1; cut < length; cut++) expect(await parse(text, [cut])).toEqual(expected)
    expect(
      await parse(
        text,
        Array.from({ length }, () => 1),
      ),
    ).toEqual(expected)
  })

  it('drops a message the stream ended in the middle of', async () => {
    expect(await parse('id: 1\ndata: whole\n\nid: 2\ndata: cut')).toEqual([
      { id: '1', event: 'message', data: 'whole' },
    ])
  })
})
