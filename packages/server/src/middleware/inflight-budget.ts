import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../context.ts'
import { contentEncoding } from './inflate-body.ts'

export const DEFAULT_MAX_INFLIGHT_BYTES = 128 * 1024 * 1024
/** How long a request waits for room in the budget before it is answered 503. */
export const DEFAULT_INFLIGHT_WAIT_MS = 30_000

interface Waiter {
  bytes: number
  resolve: (admitted: boolean) => void
}

/**
 * A count of bytes shared by all requests: `acquire` takes some, waiting (first come, first
 * served) while there is not enough left, `release` gives them back.
 *
 * @example
 * if (await budget.acquire(n, 5000)) try { ... } finally { budget.release(n) }
 */
export class ByteBudget {
  readonly max: number
  #used = 0
  #queue: Waiter[] = []

  constructor(max: number) {
    this.max = max
  }

  get used(): number {
    return this.#used
  }

  /** true once `bytes` are taken; false if that did not happen within `waitMs`. */
  acquire(bytes: number, waitMs: number): Promise<boolean> {
    const n = Math.min(bytes, this.max)
    if (this.#queue.length === 0 && this.#used + n <= this.max) {
      this.#used += n
      return Promise.resolve(true)
    }
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        bytes: n,
        resolve: (admitted) => {
          clearTimeout(timer)
          resolve(admitted)
        },
      }
      const timer = setTimeout(() => {
        this.#queue.splice(this.#queue.indexOf(waiter), 1)
        waiter.resolve(false)
        this.#admit()
      }, waitMs)
      this.#queue.push(waiter)
    })
  }

  release(bytes: number): void {
    this.#used -= Math.min(bytes, this.max)
    this.#admit()
  }

  #admit(): void {
    while (this.#queue.length > 0 && this.#used + this.#queue[0].bytes <= this.max) {
      const w = this.#queue.shift()!
      this.#used += w.bytes
      w.resolve(true)
    }
  }
}

/**
 * Bounds the request bodies the server holds in memory at once: a request with a body reserves
 * its `Content-Length` (or `maxBodySize` when the body is chunked or compressed) from
 * `budget` before its body is read, and gives it back when it has been answered. A request that
 * finds no room waits up to `waitMs` (its body stays in the socket meanwhile), then gets 503
 * `SERVER_BUSY` with `Retry-After` (its body read and dropped, so the client can read that).
 */
export function inflightBudget({
  budget,
  maxBodySize,
  waitMs = DEFAULT_INFLIGHT_WAIT_MS,
  skip = () => false,
}: {
  budget: ByteBudget
  maxBodySize: number
  waitMs?: number
  skip?: (path: string) => boolean
}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD' || skip(c.req.path)) return next()
    // HTTP/1.1: without Transfer-Encoding, a body is as long as Content-Length says (0 if absent)
    const known =
      c.req.header('transfer-encoding') === undefined && contentEncoding(c.req.raw.headers) === ''
    const declared = known ? Number(c.req.header('content-length') ?? 0) : maxBodySize
    // no body, or one the body limit refuses unread
    if (!(declared > 0) || declared > maxBodySize) return next()
    if (!(await budget.acquire(declared, waitMs))) {
      // read and drop the body, a chunk at a time, so the client is not cut off mid-upload and
      // reads the answer
      await c.req.raw.body?.pipeTo(new WritableStream()).catch(() => {})
      c.header('Retry-After', '1')
      return c.json(
        {
          error: {
            code: 'SERVER_BUSY',
            message: 'too many request bodies in memory: retry later',
            retryAfter: 1,
          },
        },
        503,
      )
    }
    try {
      await next()
    } finally {
      budget.release(declared)
    }
  }
}
