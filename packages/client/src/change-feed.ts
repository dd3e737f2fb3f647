import type { ChangeEvent } from './api-types.ts'
import { GitpgError } from './errors.ts'
import { encodeSegment } from './paths.ts'
import { readSse } from './sse.ts'
import type { Transport } from './transport.ts'

/** What `changes.subscribe` takes. */
export interface SubscribeOptions {
  project: string
  /** a cursor: only events after it; default: every event the server still keeps */
  since?: string
  /** called for each event in order, once; the next waits for a returned promise */
  onEvent: (event: ChangeEvent) => void | Promise<void>
  /** called each time the stream is (re)connected */
  onOpen?: () => void
  /**
   * called on every failure: `willRetry` when the connection dropped or the server is
   * unreachable (the subscription reconnects from its cursor), not when the feed cannot go on
   * (an expired cursor, an unknown project, a wrong key, an `onEvent` that threw)
   */
  onError?: (error: unknown, info: { willRetry: boolean }) => void
  /** stops the subscription, like `close()` */
  signal?: AbortSignal
  /** the first reconnection delay, doubled after each failure up to `maxRetryDelayMs` */
  retryDelayMs?: number
  maxRetryDelayMs?: number
  /** a stream silent this long (no event, no heartbeat) is taken for dead and reopened */
  idleTimeoutMs?: number
}

/** A running change-feed subscription. */
export interface Subscription {
  /** stops it; `done` resolves */
  close(): void
  /** the cursor of the last event delivered (where a new subscription would resume) */
  readonly cursor: string | undefined
  /** settles when the subscription ends: resolves on `close()`, rejects with a fatal error */
  readonly done: Promise<void>
}

const isRetryable = (err: unknown) =>
  !(err instanceof GitpgError) ||
  err.status === 0 ||
  err.status === 408 ||
  err.status === 429 ||
  err.status >= 500

/** Events whose cursor is not after `cursor` were delivered already. */
function isAfter(next: string, cursor: string | undefined): boolean {
  if (cursor === undefined) return true
  if (/^\d+$/.test(next) && /^\d+$/.test(cursor)) return BigInt(next) > BigInt(cursor)
  return next !== cursor
}

/** An error the subscription stops with rather than retrying (an `onEvent` that threw...). */
class Fatal {
  constructor(readonly error: unknown) {}
}

function parseData(data: string): unknown {
  try {
    return JSON.parse(data)
  } catch (err) {
    throw new Fatal(err)
  }
}

/** The error of an `event: error` message: `{ error: { code, message, ...data } }`. */
function streamError(body: unknown): GitpgError {
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error ?? {}
  const { code = 'HTTP_ERROR', message = 'the change feed failed', ...data } = error
  return new GitpgError({ code, status: code === 'CURSOR_EXPIRED' ? 410 : 500, message, data })
}

/**
 * Follows a project's change feed over a `text/event-stream` (fetch, so it can send the API key
 * header). When the connection drops it reconnects with the cursor of the last delivered event,
 * so no event is missed and none is delivered twice.
 */
export function subscribeChanges(transport: Transport, options: SubscribeOptions): Subscription {
  const stop = new AbortController()
  const onAbort = () => stop.abort()
  options.signal?.addEventListener('abort', onAbort)
  if (options.signal?.aborted) stop.abort()
  const minDelay = options.retryDelayMs ?? 250
  const maxDelay = options.maxRetryDelayMs ?? 10_000
  const idleMs = options.idleTimeoutMs ?? 60_000
  let cursor = options.since
  let opened = false

  async function connectOnce(): Promise<void> {
    const connection = new AbortController()
    const abortConnection = () => connection.abort()
    stop.signal.addEventListener('abort', abortConnection)
    let idle: ReturnType<typeof setTimeout> | undefined
    const touch = () => {
      clearTimeout(idle)
      idle = setTimeout(abortConnection, idleMs)
    }
    try {
      touch()
      const res = await transport.send({
        method: 'GET',
        path: `/projects/${encodeSegment(options.project)}/changes`,
        query: { since: cursor },
        headers: { Accept: 'text/event-stream' },
        signal: connection.signal,
      })
      if (!res.body) throw new GitpgError({ code: 'HTTP_ERROR', status: 0, message: 'no body' })
      opened = true
      options.onOpen?.()
      for await (const message of readSse(res.body, {
        onActivity: touch,
        signal: connection.signal,
      })) {
        const data = parseData(message.data)
        // an error sent inside the stream (e.g. CURSOR_EXPIRED) ends it for good
        if (message.event === 'error') throw new Fatal(streamError(data))
        const event = data as ChangeEvent
        if (!isAfter(event.cursor, cursor)) continue
        // closed from an earlier handler: events already read are not delivered
        if (stop.signal.aborted) return
        // a slow handler is not a silent stream
        clearTimeout(idle)
        try {
          await options.onEvent(event)
        } catch (err) {
          throw new Fatal(err)
        }
        cursor = event.cursor
        touch()
      }
    } finally {
      clearTimeout(idle)
      stop.signal.removeEventListener('abort', abortConnection)
    }
  }

  async function run(): Promise<void> {
    let delay = minDelay
    try {
      while (!stop.signal.aborted) {
        opened = false
        try {
          await connectOnce()
        } catch (err) {
          if (stop.signal.aborted) return
          if (err instanceof Fatal) throw err.error
          if (!isRetryable(err)) throw err
          options.onError?.(err, { willRetry: true })
        }
        // a stream that opened was working: the next attempt starts from the shortest delay
        if (opened) delay = minDelay
        await sleep(delay, stop.signal)
        delay = Math.min(delay * 2, maxDelay)
      }
    } catch (err) {
      options.onError?.(err, { willRetry: false })
      throw err
    } finally {
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  const done = run()
  // `done` is for whoever awaits it; an unobserved failure already went to `onError`
  done.catch(() => {})
  return {
    close: () => stop.abort(),
    get cursor() {
      return cursor
    },
    done,
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}
