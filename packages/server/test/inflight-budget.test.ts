import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { ByteBudget } from '../src/middleware/inflight-budget.ts'
import { GroupCommit } from '../src/store/postgres/group-commit.ts'
import { API_KEY, createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  await t.callJson('PUT', '/projects/p')
})
afterAll(async () => t?.close())

/** A request body that arrives when the test says so. */
function heldBody(size: number) {
  let release!: () => void
  const arrived = new Promise<void>((resolve) => (release = resolve))
  let started!: () => void
  const reading = new Promise<void>((resolve) => (started = resolve))
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      started()
      await arrived
      controller.enqueue(new Uint8Array(size).fill(7))
      controller.close()
    },
  })
  return { body, release, reading }
}

const pending = async () =>
  (
    await t.db.query(
      "SELECT convert_from(path, 'UTF8') AS path, content FROM pending_changes ORDER BY path",
    )
  ).rows

describe('ByteBudget', () => {
  it('admits up to its size, then first come first served as bytes come back', async () => {
    const budget = new ByteBudget(100)
    expect(await budget.acquire(60, 1000)).toBe(true)
    const order: string[] = []
    const big = budget.acquire(80, 10_000).then((ok) => order.push(`big ${ok}`))
    const small = budget.acquire(10, 10_000).then((ok) => order.push(`small ${ok}`))
    expect(budget.used).toBe(60)
    budget.release(60)
    await Promise.all([big, small])
    // the small one fits at once but waits its turn behind the big one
    expect(order).toEqual(['big true', 'small true'])
    expect(budget.used).toBe(90)
  })

  it('gives up after the wait and lets the next waiter in', async () => {
    const budget = new ByteBudget(100)
    await budget.acquire(100, 0)
    expect(await budget.acquire(1, 10)).toBe(false)
    expect(budget.used).toBe(100)
    budget.release(100)
    expect(budget.used).toBe(0)
  })
})

describe('request bodies in memory', () => {
  it('holds no more than the budget at once: 503 SERVER_BUSY with Retry-After past it', async () => {
    const app = createApp({
      store: t.store,
      db: t.db,
      config: { apiKey: API_KEY, bodyLimit: 1000, maxInflightBytes: 2000 },
      inflightWaitMs: 50,
    })
    const put = (path: string, body: ReadableStream<Uint8Array> | Uint8Array, length: number) =>
      app.request(`/pending/p/ada/${path}`, {
        method: 'PUT',
        headers: { 'X-Internal-API-Key': API_KEY, 'Content-Length': String(length) },
        body,
        duplex: 'half',
      } as RequestInit)
    const one = heldBody(1000)
    const two = heldBody(1000)
    const first = put('one.bin', one.body, 1000)
    const second = put('two.bin', two.body, 1000)
    await Promise.all([one.reading, two.reading])
    // 2000 bytes are in flight: a third body waits 50 ms for room, then is refused
    const third = await put('three.bin', new Uint8Array(1000), 1000)
    expect(third.status).toBe(503)
    expect(third.headers.get('retry-after')).toBe('1')
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('SERVER_BUSY')
    one.release()
    two.release()
    expect((await first).status).toBe(200)
    expect((await second).status).toBe(200)
    // once they are answered, there is room again
    expect((await put('three.bin', new Uint8Array(1000).fill(7), 1000)).status).toBe(200)
    const rows = await pending()
    expect(rows.map((r) => r.path)).toEqual(['one.bin', 'three.bin', 'two.bin'])
    for (const r of rows) expect(Buffer.compare(r.content, Buffer.alloc(1000, 7))).toBe(0)
    await t.call('DELETE', '/pending/p/ada')
  })

  it('queues concurrent saves past the budget and stores every one intact', async () => {
    const app = createApp({
      store: t.store,
      db: t.db,
      config: { apiKey: API_KEY, bodyLimit: 64 * 1024, maxInflightBytes: 128 * 1024 },
    })
    const sizes = Array.from({ length: 20 }, (_, i) => 40_000 + i)
    const results = await Promise.all(
      sizes.map((size, i) =>
        app.request(`/pending/p/bob/f${i}.bin`, {
          method: 'PUT',
          headers: { 'X-Internal-API-Key': API_KEY, 'Content-Length': String(size) },
          body: new Uint8Array(size).fill(i),
        }),
      ),
    )
    expect(results.map((r) => r.status)).toEqual(sizes.map(() => 200))
    const { rows } = await t.db.query<{ path: string; content: Buffer }>(
      "SELECT convert_from(path, 'UTF8') AS path, content FROM pending_changes WHERE user_id = 'bob'",
    )
    expect(rows).toHaveLength(20)
    for (const r of rows) {
      const i = Number(r.path.slice(1, -4))
      expect(Buffer.compare(r.content, Buffer.alloc(sizes[i], i))).toBe(0)
    }
    await t.call('DELETE', '/pending/p/bob')
  })
})

describe('GroupCommit byte cap', () => {
  it('starts a new group rather than pass the byte cap, and never leaves a write out', async () => {
    const groups: number[][] = []
    let unblock!: () => void
    const blocked = new Promise<void>((resolve) => (unblock = resolve))
    const commit = new GroupCommit<number, number>({
      maxGroupBytes: 8,
      sizeOf: (n) => n,
      run: async (inputs) => {
        groups.push(inputs)
        if (groups.length === 1) await blocked
        return inputs
      },
    })
    const all = [1, 5, 2, 9, 1].map((n) => commit.submit(n))
    unblock()
    expect(await Promise.all(all)).toEqual([1, 5, 2, 9, 1])
    // 5 + 2 fit in 8; 9 is over the cap on its own and goes alone
    expect(groups).toEqual([[1], [5, 2], [9], [1]])
  })
})
