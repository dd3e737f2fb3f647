import { makeObject, ObjectCache, type GitObject } from '@gitpg/git-pg-fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { planBatch } from '../src/domain/batch-plan.ts'
import { readPlanned } from '../src/domain/batch-read.ts'
import { openProject } from '../src/domain/projects.ts'
import { batchResponse } from '../src/routes/batch-response.ts'
import { PostgresPendingStore } from '../src/store/postgres/pending-store.ts'
import type { ReadLimits } from '../src/domain/read-limits.ts'
import { commitOf, pushObjects, treeOf } from './support/push-objects.ts'
import { API_KEY, createTestApp, type TestApp } from './support/test-app.ts'

const MiB = 1024 * 1024
const WIDE = 10_000
const names = Array.from({ length: WIDE }, (_, i) => `f${String(i).padStart(5, '0')}.txt`)
// 1 MiB of text: one blob behind 10,000 tree entries, a 26 KB pack that names 10 GB of files
const big = makeObject('blob', Buffer.alloc(MiB, 'a'))
const small = makeObject('blob', Buffer.from('small\n'))
const binary = makeObject('blob', Buffer.from([0, 1, 2, 255]))

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  await t.callJson('PUT', '/projects/wide')
  const tree = treeOf([
    ...names.map((n): [string, string, string] => [n, '100644', big.oid]),
    ['small.txt', '100644', small.oid],
    ['x.bin', '100644', binary.oid],
  ])
  const commit = commitOf(tree)
  const report = await pushObjects({
    app: t.app,
    project: 'wide',
    tip: commit.oid,
    objects: [big, small, binary, tree, commit],
  })
  expect(report).toContain('ok refs/heads/main')
}, 60_000)
afterAll(async () => t?.close())

/** An app over the test database with other read limits. */
function appWith(readLimits: Partial<ReadLimits>) {
  const app = createApp({ store: t.store, db: t.db, config: { apiKey: API_KEY, readLimits } })
  return async (path: string, json: unknown) => {
    const res = await app.request(path, {
      method: json === undefined ? 'GET' : 'POST',
      headers: { 'X-Internal-API-Key': API_KEY, 'Content-Type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    })
    const text = await res.text()
    return { status: res.status, bytes: Buffer.byteLength(text), body: JSON.parse(text) }
  }
}

interface Skipped {
  path: string
  size: number
  code: string
}

describe('batch read limits', () => {
  it('answers 10,000 paths to one 1 MiB blob with the files that fit the budget', async () => {
    const res = await t.call('POST', '/files/wide/batch', { json: { paths: names } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    const text = await res.text()
    // the answer stops at the default budget (32 MiB of content), not at 10 GB
    expect(text.length).toBeLessThan(33 * MiB)
    const body = JSON.parse(text)
    expect(body.files).toHaveLength(32)
    expect(body.files.map((f: { path: string }) => f.path)).toEqual(names.slice(0, 32))
    for (const f of body.files) {
      expect(f).toMatchObject({ oid: big.oid, mode: '100644', size: MiB, encoding: 'utf8' })
      expect(f.content).toBe(big.content.toString())
    }
    expect(body.missing).toEqual([])
    expect(body.truncated).toBe(true)
    expect(body.skipped).toHaveLength(WIDE - 32)
    expect(body.skipped[0]).toEqual({ path: names[32], size: MiB, code: 'BATCH_TOO_LARGE' })
    expect(body.skipped.every((s: Skipped) => s.code === 'BATCH_TOO_LARGE')).toBe(true)
  }, 60_000)

  it('goes on from the skipped paths when asked again', async () => {
    const read = appWith({ batchMaxBytes: 3 * MiB })
    const first = await read('/files/wide/batch', { paths: names.slice(0, 7) })
    expect(first.body.files.map((f: { path: string }) => f.path)).toEqual(names.slice(0, 3))
    const rest = first.body.skipped.map((s: Skipped) => s.path)
    expect(rest).toEqual(names.slice(3, 7))
    const second = await read('/files/wide/batch', { paths: rest })
    expect(second.body.files.map((f: { path: string }) => f.path)).toEqual(names.slice(3, 6))
    expect(second.body.skipped).toEqual([{ path: names[6], size: MiB, code: 'BATCH_TOO_LARGE' }])
    expect(second.bytes).toBeLessThan(3 * MiB + 4096)
  })

  it('skips a file larger than the whole budget as FILE_TOO_LARGE and answers the rest', async () => {
    const read = appWith({ batchMaxBytes: MiB / 2 })
    const res = await read('/files/wide/batch', {
      paths: ['small.txt', names[0], 'nope.txt', 'x.bin'],
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      files: [
        {
          path: 'small.txt',
          oid: small.oid,
          mode: '100644',
          size: 6,
          pending: false,
          encoding: 'utf8',
          content: 'small\n',
        },
        {
          path: 'x.bin',
          oid: binary.oid,
          mode: '100644',
          size: 4,
          pending: false,
          encoding: 'base64',
          content: Buffer.from([0, 1, 2, 255]).toString('base64'),
        },
      ],
      missing: ['nope.txt'],
      skipped: [{ path: names[0], size: MiB, code: 'FILE_TOO_LARGE' }],
      truncated: true,
    })
    // the large file is still served whole by the single-file route
    const one = await t.call('GET', `/files/wide/${names[0]}`)
    expect(one.status).toBe(200)
    expect(Buffer.from(await one.arrayBuffer()).equals(big.content)).toBe(true)
  })

  it('answers a batch that fits with nothing skipped', async () => {
    const res = await t.callJson('POST', '/files/wide/batch', {
      json: { paths: ['small.txt', 'x.bin'] },
    })
    expect(res.body).toMatchObject({ missing: [], skipped: [], truncated: false })
    expect(res.body.files).toHaveLength(2)
  })

  it('refuses more paths than the limit with 400 TOO_MANY_PATHS', async () => {
    const read = appWith({ batchMaxPaths: 5 })
    const res = await read('/files/wide/batch', { paths: names.slice(0, 6) })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'TOO_MANY_PATHS', limit: 5 })
    expect((await read('/files/wide/batch', { paths: names.slice(0, 5) })).status).toBe(200)
  })

  it('streams text with every kind of character intact, cut between characters', async () => {
    // multi-byte characters across the 1 MiB slices the encoder cuts at, and JSON escapes
    const text = `"\\\n\t\u0001é€😀`.repeat(150_000)
    const blob = Buffer.from(text)
    const put = await t.call('PUT', '/pending/wide/ada/text.txt', { body: blob })
    expect(put.status).toBe(200)
    const res = await t.callJson('POST', '/files/wide/batch', {
      json: { paths: ['text.txt'], userId: 'ada' },
    })
    expect(res.body.files[0]).toMatchObject({ encoding: 'utf8', pending: true, size: blob.length })
    expect(res.body.files[0].content).toBe(text)
  })
})

describe('batch read of pending versions', () => {
  it('lists a pending version that changed while the batch was read as CHANGED', async () => {
    const pending = new PostgresPendingStore({ db: t.db })
    await t.call('PUT', '/pending/wide/eve/a.txt', { body: 'one\n' })
    await t.call('PUT', '/pending/wide/eve/b.txt', { body: 'two\n' })
    const repo = await openProject({ store: t.store, cache: new ObjectCache(), projectId: 'wide' })
    const paths = ['a.txt', 'b.txt', 'small.txt']
    const plan = await planBatch({ repo, pending, paths, userId: 'eve', maxBytes: MiB })
    expect(plan.files.map((f) => f.path)).toEqual(paths)
    // saved again after the plan: its planned version is gone
    await t.call('PUT', '/pending/wide/eve/b.txt', { body: 'three\n' })
    const parts: Buffer[] = []
    const chunks = readPlanned({ repo, pending, userId: 'eve', files: plan.files })
    for await (const part of batchResponse({ plan, chunks })) parts.push(part)
    const body = JSON.parse(Buffer.concat(parts).toString())
    expect(body.files.map((f: { path: string; pending: boolean }) => [f.path, f.pending])).toEqual([
      ['a.txt', true],
      ['small.txt', false],
    ])
    expect(body.skipped).toEqual([{ path: 'b.txt', size: 4, code: 'CHANGED' }])
    expect(body.truncated).toBe(true)
    await t.call('DELETE', '/pending/wide/eve')
  })
})

describe('listing limits', () => {
  /** A tree of `width` entries, each the same subtree, `depth` levels deep, over one blob. */
  async function pushBomb(project: string, width: number, depth: number) {
    await t.callJson('PUT', `/projects/${project}`)
    const objects: GitObject[] = [small]
    let tree = treeOf(
      Array.from({ length: width }, (_, i): [string, string, string] => [
        `f${i}`,
        '100644',
        small.oid,
      ]),
    )
    objects.push(tree)
    for (let d = 1; d < depth; d++) {
      tree = treeOf(
        Array.from({ length: width }, (_, i): [string, string, string] => [
          `d${i}`,
          '40000',
          tree.oid,
        ]),
      )
      objects.push(tree)
    }
    const commit = commitOf(tree)
    objects.push(commit)
    const report = await pushObjects({ app: t.app, project, tip: commit.oid, objects })
    expect(report).toContain('ok refs/heads/main')
  }

  it('lists a wide tree up to the limit, and refuses past it with 422 LISTING_TOO_LARGE', async () => {
    await pushBomb('square', 100, 2)
    const all = await t.callJson('GET', '/files/square')
    expect(all.status).toBe(200)
    expect(all.body.files).toHaveLength(10_000)
    const list = appWith({ listMaxFiles: 5_000 })
    const refused = await list('/files/square', undefined)
    expect(refused.status).toBe(422)
    expect(refused.body.error).toMatchObject({ code: 'LISTING_TOO_LARGE', limit: 5_000 })
    const narrower = await list('/files/square?prefix=d7', undefined)
    expect(narrower.status).toBe(200)
    expect(narrower.body.files).toHaveLength(100)
    expect(narrower.body.files[0]).toEqual({
      path: 'd7/f0',
      oid: small.oid,
      size: 6,
      mode: '100644',
    })
  })

  it('refuses a tree of a billion paths from a few objects without walking it', async () => {
    // 5 trees of 100 entries each name 100^5 = 10 billion files
    await pushBomb('bomb', 100, 5)
    const res = await t.callJson('GET', '/files/bomb')
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('LISTING_TOO_LARGE')
  })
})
