import { describe, expect, it } from 'vitest'
import { createClient, GitpgError, type ChangeEvent } from '../src/index.ts'

/**
 * How a subscription answers what a server may send, driven by a scripted `fetch`: each call
 * takes the next answer. (The real server and dropped connections: change-feed.test.ts.)
 */
function scripted(answers: (() => Response)[]) {
  const urls: string[] = []
  const client = createClient({
    baseUrl: 'http://gitpg.test',
    apiKey: 'k',
    fetch: async (input) => {
      urls.push(String(input))
      const next = answers.shift()
      if (!next) return new Response(new ReadableStream()) // stays open, silent
      return next()
    },
  })
  return { client, urls }
}

const event = (cursor: string, path = `${cursor}.md`) =>
  `id: ${cursor}\nevent: pending.saved\ndata: ${JSON.stringify({
    cursor,
    kind: 'pending.saved',
    userId: 'ada',
    path,
    createdAt: '2026-01-01T00:00:00.000Z',
  })}\n\n`
const stream = (text: string) =>
  new Response(text, { headers: { 'Content-Type': 'text/event-stream' } })
const failure = (status: number, code: string) =>
  new Response(JSON.stringify({ error: { code, message: code } }), { status })

describe('changes.subscribe protocol', () => {
  it('retries server errors from the last delivered cursor, skipping what it has seen', async () => {
    const received: string[] = []
    const { client, urls } = scripted([
      () => stream(event('1') + event('2')),
      () => failure(503, 'DATABASE_UNAVAILABLE'),
      // a server that sends an event again after a resume: it is not delivered twice
      () => stream(event('2') + event('3')),
    ])
    const sub = client.changes.subscribe({
      project: 'p',
      retryDelayMs: 1,
      onEvent: (e: ChangeEvent) => {
        received.push(e.cursor)
      },
    })
    await expect.poll(() => received).toEqual(['1', '2', '3'])
    sub.close()
    await sub.done
    expect(urls.map((u) => new URL(u).search)).toEqual(['', '?since=2', '?since=2', '?since=3'])
  })

  it('ends on an error event inside the stream, after the events before it', async () => {
    const received: string[] = []
    const expired = JSON.stringify({
      error: { code: 'CURSOR_EXPIRED', message: 'gone', oldest: '9' },
    })
    const { client } = scripted([() => stream(`${event('1')}event: error\ndata: ${expired}\n\n`)])
    const sub = client.changes.subscribe({
      project: 'p',
      onEvent: (e) => void received.push(e.cursor),
    })
    const err = await sub.done.then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(GitpgError)
    expect(err).toMatchObject({ code: 'CURSOR_EXPIRED', status: 410, data: { oldest: '9' } })
    expect(received).toEqual(['1'])
  })

  it('close() from a handler delivers nothing more, even events already read', async () => {
    const received: string[] = []
    const { client } = scripted([() => stream(event('1') + event('2') + event('3'))])
    const sub = client.changes.subscribe({
      project: 'p',
      onEvent: (e) => {
        received.push(e.cursor)
        sub.close()
      },
    })
    await sub.done
    expect(received).toEqual(['1'])
  })

  it('a malformed event ends the subscription instead of retrying forever', async () => {
    const { client, urls } = scripted([() => stream('data: {not json\n\n')])
    const sub = client.changes.subscribe({ project: 'p', retryDelayMs: 1, onEvent: () => {} })
    await expect(sub.done).rejects.toBeInstanceOf(SyntaxError)
    expect(urls).toHaveLength(1)
  })
})
