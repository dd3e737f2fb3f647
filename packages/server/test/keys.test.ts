import { execFile } from 'node:child_process'
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KeyResolver } from '../src/auth/key-resolver.ts'
import { main } from '../src/cli/main.ts'
import { hashKey, KEY_PREFIX, parseExpiry } from '../src/domain/api-keys.ts'
import type { KeyStore } from '../src/store/key-store.ts'
import { PostgresKeyStore } from '../src/store/postgres/postgres-key-store.ts'
import { freshApp } from './support/fresh-app.ts'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t?.close())

/** Runs the CLI in-process on the test's database; resolves to its exit code and output. */
async function gitpg(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const { write: stdout } = process.stdout
  const { write: stderr } = process.stderr
  const saved = process.env.DATABASE_URL
  process.env.DATABASE_URL = t.url
  process.stdout.write = ((chunk: string) => out.push(chunk) > 0) as typeof process.stdout.write
  process.stderr.write = ((chunk: string) => err.push(chunk) > 0) as typeof process.stderr.write
  try {
    const code = await main(argv)
    return { code, stdout: out.join(''), stderr: err.join('') }
  } finally {
    process.stdout.write = stdout
    process.stderr.write = stderr
    process.env.DATABASE_URL = saved
  }
}

describe('POST/GET/DELETE /keys', () => {
  it('creates a key shown once and stores only its hash', async () => {
    const res = await t.callJson('POST', '/keys', {
      json: { projects: ['a', 'b', 'a'], scope: 'write', expiresAt: '2099-01-01T00:00:00Z' },
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      projects: ['a', 'b'],
      scope: 'write',
      expiresAt: '2099-01-01T00:00:00.000Z',
      revokedAt: null,
    })
    expect(res.body.key.startsWith(KEY_PREFIX)).toBe(true)
    expect(res.body.key.length).toBeGreaterThanOrEqual(KEY_PREFIX.length + 43)
    const { rows } = await t.db.query('SELECT * FROM api_keys WHERE id = $1', [res.body.id])
    expect(rows[0].key_hash).toEqual(hashKey(res.body.key))
    expect(JSON.stringify(rows)).not.toContain(res.body.key.slice(KEY_PREFIX.length))
    const list = await t.callJson('GET', '/keys')
    expect(list.body.keys.find((k: { id: string }) => k.id === res.body.id)).toEqual({
      ...res.body,
      key: undefined,
    })
    expect(JSON.stringify(list.body)).not.toContain(res.body.key)
  })

  it('revokes a key; an unknown id is KEY_NOT_FOUND', async () => {
    const created = await t.callJson('POST', '/keys', { json: { projects: ['a'], scope: 'read' } })
    const use = () => t.call('GET', '/projects/a', { key: created.body.key })
    expect((await use()).status).toBe(404) // the project does not exist, the key is fine
    const revoked = await t.callJson('DELETE', `/keys/${created.body.id}`)
    expect(revoked.status).toBe(200)
    expect(revoked.body.revokedAt).not.toBeNull()
    expect((await use()).status).toBe(401)
    const unknown = await t.callJson('DELETE', '/keys/key_nope')
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'KEY_NOT_FOUND'])
  })

  it('refuses bad input with VALIDATION_FAILED', async () => {
    for (const json of [
      { projects: [], scope: 'read' },
      { projects: ['a'], scope: 'owner' },
      { projects: ['a b'], scope: 'read' },
      { projects: ['a'], scope: 'read', expiresAt: 'tomorrow' },
      { projects: ['a'], scope: 'read', expiresAt: '2001-01-01T00:00:00Z' },
    ]) {
      const res = await t.callJson('POST', '/keys', { json })
      expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
    }
  })

  it('is for the configured key only', async () => {
    const admin = await t.callJson('POST', '/keys', { json: { projects: ['a'], scope: 'admin' } })
    for (const [method, path] of [
      ['GET', '/keys'],
      ['POST', '/keys'],
      ['DELETE', `/keys/${admin.body.id}`],
    ]) {
      const json = method === 'POST' ? { projects: ['a'], scope: 'read' } : undefined
      const res = await t.callJson(method, path, { key: admin.body.key, json })
      expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN'])
    }
  })
})

describe('a live change stream', () => {
  it('ends with UNAUTHORIZED once its key is revoked', async () => {
    expect((await t.call('PUT', '/projects/feed')).status).toBe(201)
    const created = await t.callJson('POST', '/keys', {
      json: { projects: ['feed'], scope: 'write' },
    })
    const res = await t.call('GET', '/projects/feed/changes', {
      key: created.body.key,
      headers: { Accept: 'text/event-stream' },
    })
    expect(res.status).toBe(200)
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    let seen = ''
    const readUntil = async (text: string) => {
      while (!seen.includes(text)) {
        const { value, done } = await reader.read()
        if (done) return false
        seen += value
      }
      return true
    }
    // an event proves the stream is live and open
    const save = await t.call('PUT', '/pending/feed/ada/a.md', { key: created.body.key, body: 'a' })
    expect(save.status).toBe(200)
    expect(await readUntil('event: pending.saved')).toBe(true)
    expect((await t.call('DELETE', `/keys/${created.body.id}`)).status).toBe(200)
    expect(await readUntil('"code":"UNAUTHORIZED"')).toBe(true)
    expect(seen).toMatch(/event: error\ndata: \{"error":\{[^}]*"code":"UNAUTHORIZED"/)
    expect((await reader.read()).done).toBe(true)
  })
})

describe('the request log', () => {
  it('names the key of each request, never the key itself', async () => {
    const logged: string[] = []
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged.push(chunk.toString())
        done()
      },
    })
    const logging = await createTestApp({ logger: pino({ level: 'info' }, sink) })
    try {
      const created = await logging.callJson('POST', '/keys', {
        json: { projects: ['a'], scope: 'read' },
      })
      await logging.call('GET', '/projects/a', { key: created.body.key })
      const entries = logged.map((l) => JSON.parse(l) as { path: string; key?: string })
      expect(entries.find((e) => e.path === '/keys')?.key).toBe('admin')
      expect(entries.find((e) => e.path === '/projects/a')?.key).toBe(created.body.id)
      expect(logged.join('')).not.toContain(created.body.key)
    } finally {
      await logging.close()
    }
  })
})

describe('KeyResolver', () => {
  it('reads a key from the store once per TTL and sees a revocation after it', async () => {
    const store = new PostgresKeyStore({ executor: t.db })
    let reads = 0
    const counting: KeyStore = {
      create: (input) => store.create(input),
      list: () => store.list(),
      revoke: (id) => store.revoke(id),
      findByHash: (hash) => (reads++, store.findByHash(hash)),
    }
    let now = Date.now()
    const resolver = new KeyResolver({
      adminKey: 'x'.repeat(20),
      keys: counting,
      ttlMs: 10_000,
      now: () => now,
    })
    const created = await t.callJson('POST', '/keys', { json: { projects: ['a'], scope: 'read' } })
    const results = await Promise.all([1, 2, 3].map(() => resolver.resolve(created.body.key)))
    for (const r of results) expect(r).toMatchObject({ ok: true, principal: { kind: 'scoped' } })
    await resolver.resolve(created.body.key)
    expect(reads).toBe(1)
    await store.revoke(created.body.id)
    now += 9_000
    expect(await resolver.resolve(created.body.key)).toMatchObject({ ok: true })
    now += 1_001
    expect(await resolver.resolve(created.body.key)).toEqual({ ok: false, reason: 'revoked' })
    expect(reads).toBe(2)
    expect(await resolver.resolve('x'.repeat(20))).toEqual({
      ok: true,
      principal: { kind: 'admin' },
    })
    expect(await resolver.resolve('not-a-gitpg-key')).toEqual({ ok: false, reason: 'unknown' })
    expect(reads).toBe(2)
  })

  it('refuses a cached key once it expires', async () => {
    const store = new PostgresKeyStore({ executor: t.db })
    const key = `${KEY_PREFIX}expiring-key-of-the-resolver-test`
    let now = Date.now()
    await store.create({
      id: 'key_expiring',
      hash: hashKey(key),
      projects: ['a'],
      scope: 'read',
      expiresAt: new Date(now + 5000),
    })
    const resolver = new KeyResolver({ adminKey: 'y'.repeat(20), keys: store, now: () => now })
    expect(await resolver.resolve(key)).toMatchObject({ ok: true })
    now += 5000
    expect(await resolver.resolve(key)).toEqual({ ok: false, reason: 'expired' })
  })
})

describe('parseExpiry', () => {
  it('takes a duration or a date', () => {
    const now = new Date('2026-01-01T00:00:00Z')
    expect(parseExpiry('30d', now)?.toISOString()).toBe('2026-01-31T00:00:00.000Z')
    expect(parseExpiry('90m', now)?.toISOString()).toBe('2026-01-01T01:30:00.000Z')
    expect(parseExpiry('2027-02-03', now)?.toISOString()).toBe('2027-02-03T00:00:00.000Z')
    expect(parseExpiry('2027-02-03T04:05:06+02:00', now)?.toISOString()).toBe(
      '2027-02-03T02:05:06.000Z',
    )
    for (const bad of ['soon', '-1d', '2027-13-45', '']) expect(parseExpiry(bad, now)).toBeNull()
  })
})

describe('gitpg keys', () => {
  it('creates, lists and revokes keys the server accepts and then refuses', async () => {
    const created = await gitpg(
      'keys',
      'create',
      '--project',
      'cli1',
      '--project',
      'cli2',
      '--scope',
      'write',
      '--expires',
      '30d',
    )
    expect(created.code).toBe(0)
    const [line, key] = created.stdout.trim().split('\n')
    expect(line).toMatch(/^key_[0-9a-f]{16} {2}write {2}cli1,cli2 {2}expires \d{4}-/)
    expect(key.startsWith(KEY_PREFIX)).toBe(true)
    expect(created.stderr).toMatch(/only time/)
    const id = line.split(' ')[0]
    expect((await t.call('PUT', '/projects/cli1')).status).toBe(201)
    expect((await t.call('PUT', '/files/cli1/a.txt', { key, body: 'a\n' })).status).toBe(201)
    expect((await t.call('DELETE', '/projects/cli1', { key })).status).toBe(403)

    const listed = await gitpg('keys', 'list')
    expect(listed.code).toBe(0)
    expect(listed.stdout).toContain(line)
    expect(listed.stdout).not.toContain(key)

    const revoked = await gitpg('keys', 'revoke', id)
    expect([revoked.code, revoked.stdout]).toEqual([
      0,
      expect.stringMatching(new RegExp(`^${id} .*revoked `)),
    ])
    // a fresh server (nothing cached) refuses it at once
    const { app } = freshApp(t)
    const res = await app.request('/files/cli1/a.txt', { headers: { 'X-Internal-API-Key': key } })
    expect(res.status).toBe(401)
  })

  it('runs as its own process, as `pnpm gitpg keys` does', async () => {
    const main = new URL('../src/cli/main.ts', import.meta.url).pathname
    const run = (...args: string[]) =>
      new Promise<{ code: number; stdout: string }>((resolve) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', main, 'keys', ...args],
          { env: { ...process.env, DATABASE_URL: t.url } },
          (err, stdout) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout }),
        ),
      )
    const created = await run('create', '--project', 'spawned', '--scope', 'read')
    expect(created.code).toBe(0)
    const key = created.stdout.trim().split('\n')[1]
    expect((await t.call('GET', '/projects/spawned', { key })).status).toBe(404)
    expect((await t.call('DELETE', '/projects/spawned', { key })).status).toBe(403)
    expect((await run('revoke', 'key_missing')).code).toBe(1)
  })

  it('fails with one line on bad arguments', async () => {
    for (const argv of [
      ['keys', 'create', '--project', 'a', '--scope', 'owner'],
      ['keys', 'create', '--scope', 'read'],
      ['keys', 'create', '--project', 'a/b', '--scope', 'read'],
      ['keys', 'create', '--project', 'a', '--scope', 'read', '--expires', 'soon'],
      ['keys', 'revoke'],
      ['keys', 'revoke', 'key_nope'],
      ['keys', 'rotate'],
    ]) {
      const res = await gitpg(...argv)
      expect(res.code, argv.join(' ')).toBe(1)
      expect(res.stderr).toMatch(/^gitpg keys: [^\n]+\n$/)
    }
    expect((await gitpg('keys', '--help')).stdout).toMatch(/^Usage: gitpg keys create/)
  })
})
