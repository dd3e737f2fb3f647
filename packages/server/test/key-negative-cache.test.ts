import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KeyResolver } from '../src/auth/key-resolver.ts'
import { hashKey, KEY_PREFIX } from '../src/domain/api-keys.ts'
import type { KeyStore } from '../src/store/key-store.ts'
import { PostgresKeyStore } from '../src/store/postgres/postgres-key-store.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t?.close())

const madeUp = () => `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`

/** The database's key store, counting its lookups; `gate` (if set) holds each answer back. */
function countingStore() {
  const store = new PostgresKeyStore({ executor: t.db })
  const counted = {
    reads: 0,
    gate: null as Promise<void> | null,
    onRead: () => {},
    keys: {
      create: (input) => store.create(input),
      list: () => store.list(),
      revoke: (id) => store.revoke(id),
      findByHash: async (hash) => {
        counted.reads++
        const record = await store.findByHash(hash)
        counted.onRead()
        if (counted.gate) await counted.gate
        return record
      },
    } satisfies KeyStore,
  }
  return { store, counted }
}

async function createStored(store: PostgresKeyStore, key: string) {
  await store.create({
    id: `key_${randomBytes(8).toString('hex')}`,
    hash: hashKey(key),
    projects: ['a'],
    scope: 'read',
    expiresAt: null,
  })
}

describe('KeyResolver: unknown keys', () => {
  it('reads a made-up key from the store once per TTL, however often it comes', async () => {
    const { counted } = countingStore()
    let now = Date.now()
    const resolver = new KeyResolver({
      adminKey: 'a'.repeat(20),
      keys: counted.keys,
      now: () => now,
    })
    const bad = madeUp()
    for (let i = 0; i < 50; i++)
      expect(await resolver.resolve(bad)).toEqual({ ok: false, reason: 'unknown' })
    expect(counted.reads).toBe(1)
    now += 10_001
    await resolver.resolve(bad)
    expect(counted.reads).toBe(2)
  })

  it('bounds the unknown hashes it keeps, and a flood of them does not evict a real key', async () => {
    const { store, counted } = countingStore()
    const resolver = new KeyResolver({
      adminKey: 'b'.repeat(20),
      keys: counted.keys,
      maxUnknown: 20,
    })
    const good = madeUp()
    await createStored(store, good)
    expect(await resolver.resolve(good)).toMatchObject({ ok: true })
    const flood = Array.from({ length: 25 }, madeUp)
    for (const key of flood) await resolver.resolve(key)
    expect(counted.reads).toBe(26)
    // the real key is still answered from memory
    expect(await resolver.resolve(good)).toMatchObject({ ok: true })
    expect(counted.reads).toBe(26)
    // the 20 newest unknown hashes are kept; the oldest 5 were dropped and cost a read again
    for (const key of flood.slice(5)) await resolver.resolve(key)
    expect(counted.reads).toBe(26)
    await resolver.resolve(flood[0])
    expect(counted.reads).toBe(27)
  })

  it('answers a key as soon as keyCreated names it, within the TTL of its "unknown"', async () => {
    const { store, counted } = countingStore()
    const resolver = new KeyResolver({ adminKey: 'c'.repeat(20), keys: counted.keys })
    const key = madeUp()
    expect(await resolver.resolve(key)).toEqual({ ok: false, reason: 'unknown' })
    await createStored(store, key)
    expect(await resolver.resolve(key)).toEqual({ ok: false, reason: 'unknown' })
    resolver.keyCreated(hashKey(key))
    expect(await resolver.resolve(key)).toMatchObject({ ok: true, principal: { kind: 'scoped' } })
  })

  it('does not keep as unknown a key created while its lookup was under way', async () => {
    const { store, counted } = countingStore()
    const resolver = new KeyResolver({ adminKey: 'd'.repeat(20), keys: counted.keys })
    const key = madeUp()
    let open = () => {}
    counted.gate = new Promise<void>((resolve) => (open = resolve))
    const read = new Promise<void>((resolve) => (counted.onRead = resolve))
    const early = resolver.resolve(key)
    await read // the store has answered "no such key"; the answer is not back yet
    await createStored(store, key)
    resolver.keyCreated(hashKey(key))
    open()
    expect(await early).toEqual({ ok: false, reason: 'unknown' })
    counted.gate = null
    expect(await resolver.resolve(key)).toMatchObject({ ok: true })
  })

  it('a key made with POST /keys works on its first request', async () => {
    expect((await t.call('PUT', '/projects/a', { json: {} })).status).toBe(201)
    const created = await t.callJson('POST', '/keys', { json: { projects: ['a'], scope: 'read' } })
    expect(created.status).toBe(201)
    const res = await t.call('GET', '/projects/a', { key: created.body.key })
    expect(res.status).toBe(200)
  })
})
