import { brotliCompressSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FLUSH, pktLine } from '@gitpg/git-pg-fs'
import { createApp } from '../src/app.ts'
import { API_KEY, createTestApp, type TestApp } from './support/test-app.ts'

const LIMIT = 1024 * 1024

let t: TestApp
let app: ReturnType<typeof createApp>
beforeAll(async () => {
  t = await createTestApp()
  await t.callJson('PUT', '/projects/p')
  await t.callJson('PUT', '/files/p/a.txt', { body: 'a\n' })
  app = createApp({ store: t.store, db: t.db, config: { apiKey: API_KEY, bodyLimit: LIMIT } })
})
afterAll(async () => t?.close())

async function send(path: string, body: Buffer, headers: Record<string, string>, method = 'PUT') {
  const res = await app.request(path, {
    method,
    headers: { 'X-Internal-API-Key': API_KEY, ...headers },
    body: new Uint8Array(body),
  })
  return { status: res.status, headers: res.headers, text: await res.text() }
}

const pendingRows = async () =>
  (
    await t.db.query(
      "SELECT convert_from(path, 'UTF8') AS path, content FROM pending_changes ORDER BY path",
    )
  ).rows

describe('compressed request bodies', () => {
  it('refuses a gzip bomb with 413 PAYLOAD_TOO_LARGE and stores nothing', async () => {
    // 1 GiB of zeros as 16 gzip members of 64 MiB: a 1 MB body that must not be inflated
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 })
    const bomb = Buffer.concat(Array.from({ length: 16 }, () => member))
    expect(bomb.length).toBeLessThan(LIMIT)
    const res = await send('/pending/p/ada/bomb.bin', bomb, {
      'Content-Encoding': 'gzip',
      'Content-Length': String(bomb.length),
    })
    expect(res.status).toBe(413)
    expect(JSON.parse(res.text).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: LIMIT })
    expect(await pendingRows()).toEqual([])
  }, 30_000)

  it('saves the inflated content of a gzip or br body within the limit', async () => {
    const content = Buffer.from('hello, compressed world\n'.repeat(1000))
    const gz = await send('/pending/p/ada/gz.txt', gzipSync(content), {
      'Content-Encoding': 'gzip',
    })
    expect(gz.status).toBe(200)
    const br = await send('/pending/p/ada/br.txt', brotliCompressSync(content), {
      'Content-Encoding': 'br',
    })
    expect(br.status).toBe(200)
    const rows = await pendingRows()
    expect(rows.map((r) => r.path)).toEqual(['br.txt', 'gz.txt'])
    for (const r of rows) expect(Buffer.compare(r.content, content)).toBe(0)
    await t.call('DELETE', '/pending/p/ada')
  })

  it('reads a gzip JSON body', async () => {
    const json = gzipSync(JSON.stringify({ paths: ['a.txt'] }))
    const res = await send(
      '/files/p/batch',
      json,
      { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' },
      'POST',
    )
    expect(res.status).toBe(200)
    expect(JSON.parse(res.text).files[0]).toMatchObject({ path: 'a.txt', content: 'a\n' })
  })

  it('refuses an unknown encoding with 415 and bytes that do not inflate with 400', async () => {
    const odd = await send('/pending/p/ada/x', Buffer.from('x'), { 'Content-Encoding': 'compress' })
    expect(odd.status).toBe(415)
    expect(JSON.parse(odd.text).error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    const bad = await send('/pending/p/ada/x', Buffer.from('not gzip at all'), {
      'Content-Encoding': 'gzip',
    })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.text).error.code).toBe('VALIDATION_FAILED')
    expect(await pendingRows()).toEqual([])
  })

  it('refuses a gzip bomb sent to git-upload-pack with 413', async () => {
    const head = (await t.callJson('GET', '/projects/p')).body.head as string
    const have = pktLine(`have ${'1'.repeat(40)}\n`)
    const haves = Buffer.concat(Array.from({ length: 200_000 }, () => have))
    const request = Buffer.concat([pktLine(`want ${head}\n`), FLUSH, haves, pktLine('done\n')])
    expect(request.length).toBeGreaterThan(8 * LIMIT)
    const res = await send(
      '/git/p.git/git-upload-pack',
      gzipSync(request),
      {
        'Content-Encoding': 'gzip',
        'Content-Type': 'application/x-git-upload-pack-request',
      },
      'POST',
    )
    expect(res.status).toBe(413)
    expect(res.text).toMatch(/larger than 1048576 bytes/)
    // the same request within the limit is served
    const fine = Buffer.concat([pktLine(`want ${head}\n`), FLUSH, pktLine('done\n')])
    const ok = await send(
      '/git/p.git/git-upload-pack',
      gzipSync(fine),
      {
        'Content-Encoding': 'gzip',
        'Content-Type': 'application/x-git-upload-pack-request',
      },
      'POST',
    )
    expect(ok.status).toBe(200)
    expect(ok.text).toContain('PACK')
  })
})
