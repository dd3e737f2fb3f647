import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  GitpgError,
  type ChangeEvent,
  type GitpgClient,
  type Subscription,
} from '../src/index.ts'
import { startTestStack, type TestStack } from '../../../test/support/test-stack.ts'
import { startDropProxy, type DropProxy } from './support/drop-proxy.ts'

const KEY = 'client-feed-key-0123456789'
const AUTHOR = { name: 'Ada', email: 'ada@example.com' }
let stack: TestStack
let proxy: DropProxy
/** straight to the server */
let direct: GitpgClient
/** through the proxy whose connections the tests cut */
let viaProxy: GitpgClient

beforeAll(async () => {
  stack = await startTestStack({ name: 'client-feed', apiKey: KEY })
  proxy = await startDropProxy(stack.server.url)
  direct = createClient({ baseUrl: stack.server.url, apiKey: KEY })
  viaProxy = createClient({ baseUrl: proxy.url, apiKey: KEY })
})
afterAll(async () => {
  await proxy?.close()
  await stack?.close()
})

/** Every event the server keeps for the project, read page by page with the JSON listing. */
async function allEvents(project: string): Promise<ChangeEvent[]> {
  const events: ChangeEvent[] = []
  let since: string | undefined
  for (;;) {
    const page = await direct.changes.list({ project, since, limit: 50 })
    events.push(...page.changes)
    if (page.changes.length === 0) return events
    since = page.cursor
  }
}

function follow(
  project: string,
  {
    afterEvent = () => {},
    ...options
  }: { since?: string; idleTimeoutMs?: number; afterEvent?: (count: number) => void } = {},
) {
  const received: ChangeEvent[] = []
  const errors: { error: unknown; willRetry: boolean }[] = []
  let opens = 0
  const subscription: Subscription = viaProxy.changes.subscribe({
    project,
    ...options,
    retryDelayMs: 20,
    maxRetryDelayMs: 200,
    onEvent: (event) => {
      received.push(event)
      afterEvent(received.length)
    },
    onOpen: () => opens++,
    onError: (error, { willRetry }) => errors.push({ error, willRetry }),
  })
  return { received, errors, subscription, opens: () => opens }
}

const save = (project: string, path: string, content = path) =>
  direct.pending.save({ project, userId: 'ada', path, content })

describe('changes.subscribe', () => {
  it('resumes after the server side drops the connection, missing and repeating nothing', async () => {
    await direct.projects.create('feed')
    const feed = follow('feed')
    await expect.poll(() => feed.opens()).toBe(1)
    await save('feed', 'a.md')
    await expect.poll(() => feed.received.length).toBe(1)

    // cut the connection and refuse new ones while more changes happen
    const before = proxy.connections
    proxy.drop({ refuse: true })
    await save('feed', 'b.md')
    await save('feed', 'c.md')
    await direct.commits.create({ project: 'feed', userId: 'ada', message: 'm', author: AUTHOR })
    await expect.poll(() => proxy.connections).toBeGreaterThan(before + 1)
    expect(feed.received).toHaveLength(1)
    proxy.accept()

    const expected = await allEvents('feed')
    expect(expected.map((e) => e.kind)).toEqual([
      'pending.saved',
      'pending.saved',
      'pending.saved',
      'pending.discarded',
      'pending.discarded',
      'pending.discarded',
      'ref.updated',
    ])
    await expect.poll(() => feed.received.length).toBe(expected.length)
    expect(feed.received).toEqual(expected)
    expect(feed.subscription.cursor).toBe(expected.at(-1)!.cursor)
    expect(feed.opens()).toBeGreaterThanOrEqual(2)
    expect(feed.errors.length).toBeGreaterThan(0)
    expect(feed.errors.every((e) => e.willRetry)).toBe(true)
    feed.subscription.close()
    await feed.subscription.done
  })

  it('drops in the middle of a burst lose no event and repeat none', async () => {
    await direct.projects.create('burst')
    // the connection is cut right after these events are handled, more following behind them
    const drops = new Set([5, 17, 33])
    const feed = follow('burst', { afterEvent: (count) => drops.has(count) && proxy.drop() })
    await expect.poll(() => feed.opens()).toBe(1)
    try {
      for (let i = 0; i < 60; i++) await save('burst', `f${i}.md`)
      const expected = await allEvents('burst')
      expect(expected).toHaveLength(60)
      await expect.poll(() => feed.received.length, { timeout: 20_000 }).toBe(60)
      expect(feed.received.map((e) => e.cursor)).toEqual(expected.map((e) => e.cursor))
      expect(feed.received.map((e) => e.path)).toEqual(expected.map((e) => e.path))
    } finally {
      feed.subscription.close()
    }
    expect(feed.opens()).toBe(4)
  })

  it('starts after `since`', async () => {
    const [, second] = await allEvents('feed')
    const feed = follow('feed', { since: second.cursor })
    const expected = (await allEvents('feed')).slice(2)
    await expect.poll(() => feed.received.length).toBe(expected.length)
    expect(feed.received).toEqual(expected)
    feed.subscription.close()
    await feed.subscription.done
  })

  it('reopens a stream that stays silent past idleTimeoutMs', async () => {
    await direct.projects.create('quiet')
    const feed = follow('quiet', { idleTimeoutMs: 100 })
    await expect.poll(() => feed.opens()).toBeGreaterThanOrEqual(3)
    await save('quiet', 'late.md')
    await expect.poll(() => feed.received.map((e) => e.path)).toEqual(['late.md'])
    feed.subscription.close()
    await feed.subscription.done
  })

  it('close() ends the connection and resolves done', async () => {
    const feed = follow('feed')
    await expect.poll(() => feed.opens()).toBe(1)
    expect(proxy.streams).toBe(1)
    feed.subscription.close()
    await feed.subscription.done
    await expect.poll(() => proxy.streams).toBe(0)
  })

  it('an abort signal stops it like close()', async () => {
    const stop = new AbortController()
    const sub = viaProxy.changes.subscribe({
      project: 'feed',
      signal: stop.signal,
      onEvent: () => {},
    })
    stop.abort()
    await sub.done
    await expect.poll(() => proxy.streams).toBe(0)
  })

  it('stops with the error when the feed cannot go on', async () => {
    const unknown = follow('no-such-project')
    const err = await unknown.subscription.done.then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(GitpgError)
    expect([(err as GitpgError).code, (err as GitpgError).status]).toEqual([
      'PROJECT_NOT_FOUND',
      404,
    ])
    expect(unknown.errors).toEqual([{ error: err, willRetry: false }])

    const badCursor = follow('feed', { since: 'not-a-cursor' })
    await expect(badCursor.subscription.done).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
      status: 400,
    })
  })

  it('stops with the error an onEvent handler throws', async () => {
    const boom = new Error('handler failed')
    const sub = viaProxy.changes.subscribe({
      project: 'feed',
      onEvent: () => {
        throw boom
      },
    })
    await expect(sub.done).rejects.toBe(boom)
    expect(sub.cursor).toBeUndefined()
  })
})
