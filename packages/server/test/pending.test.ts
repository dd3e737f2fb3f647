import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './support/test-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
  await t.callJson('PUT', '/projects/notes')
  await t.callJson('PUT', '/files/notes/existing.md', { body: 'committed\n' })
})
afterAll(async () => t?.close())

const rows = async (userId: string) =>
  (
    await t.db.query(
      `SELECT convert_from(path, 'UTF8') AS path, action, content, version FROM pending_changes
       WHERE user_id = $1 ORDER BY path`,
      [userId],
    )
  ).rows

describe('pending routes', () => {
  it('PUT stores content durably as created or modified, with the version as ETag', async () => {
    const created = await t.callJson('PUT', '/pending/notes/ada/new.md', { body: 'draft\n' })
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({ path: 'new.md', action: 'created', size: 6 })
    expect(created.headers.get('etag')).toBe(`"${created.body.version}"`)
    const modified = await t.callJson('PUT', '/pending/notes/ada/existing.md', { body: 'edited\n' })
    expect(modified.body.action).toBe('modified')
    // in the table as soon as the response is there
    expect(await rows('ada')).toEqual([
      expect.objectContaining({
        path: 'existing.md',
        action: 'modified',
        content: Buffer.from('edited\n'),
      }),
      expect.objectContaining({
        path: 'new.md',
        action: 'created',
        content: Buffer.from('draft\n'),
      }),
    ])
  })

  it('PUT again is an upsert with a new version', async () => {
    const first = await t.callJson('PUT', '/pending/notes/ada/up.md', { body: '1' })
    const second = await t.callJson('PUT', '/pending/notes/ada/up.md', { body: '22' })
    expect(second.body.version).not.toBe(first.body.version)
    expect(second.body.size).toBe(2)
    expect((await rows('ada')).filter((r) => r.path === 'up.md')).toHaveLength(1)
  })

  it('GET lists the user’s changes and reads one', async () => {
    const list = await t.callJson('GET', '/pending/notes/ada')
    expect(list.status).toBe(200)
    expect(
      list.body.changes.map((c: { path: string; action: string }) => [c.path, c.action]),
    ).toEqual([
      ['existing.md', 'modified'],
      ['new.md', 'created'],
      ['up.md', 'created'],
    ])
    expect(list.body.changes[0]).toEqual({
      path: 'existing.md',
      action: 'modified',
      oid: expect.stringMatching(/^[0-9a-f]{40}$/),
      size: 7,
      version: expect.stringMatching(/^\d+$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })
    const one = await t.call('GET', '/pending/notes/ada/new.md')
    expect(one.status).toBe(200)
    expect(await one.text()).toBe('draft\n')
    expect(one.headers.get('etag')).toMatch(/^"\d+"$/)
    expect((await t.callJson('GET', '/pending/notes/bob')).body).toEqual({ changes: [] })
    const none = await t.callJson('GET', '/pending/notes/bob/new.md')
    expect(none.status).toBe(404)
    expect(none.body.error.code).toBe('PENDING_NOT_FOUND')
  })

  it('POST delete records a pending deletion; of a pending-only file it discards it', async () => {
    const del = await t.callJson('POST', '/pending/notes/ada/delete/existing.md')
    expect(del.status).toBe(200)
    expect(del.body).toMatchObject({ path: 'existing.md', action: 'deleted', oid: null, size: 0 })
    const read = await t.callJson('GET', '/pending/notes/ada/existing.md')
    expect(read.status).toBe(404)
    expect(read.body.error).toMatchObject({ code: 'PATH_NOT_FOUND', action: 'deleted' })

    const discard = await t.callJson('POST', '/pending/notes/ada/delete/up.md')
    expect(discard.body).toEqual({ path: 'up.md', action: null })
    expect((await rows('ada')).map((r) => r.path)).toEqual(['existing.md', 'new.md'])

    const nowhere = await t.callJson('POST', '/pending/notes/ada/delete/nowhere.md')
    expect(nowhere.status).toBe(404)
    expect(nowhere.body.error.code).toBe('PATH_NOT_FOUND')
  })

  it('DELETE discards one change, then all', async () => {
    expect((await t.call('DELETE', '/pending/notes/ada/new.md')).status).toBe(204)
    expect((await t.callJson('DELETE', '/pending/notes/ada/new.md')).status).toBe(404)
    await t.call('PUT', '/pending/notes/ada/a.md', { body: 'a' })
    const all = await t.callJson('DELETE', '/pending/notes/ada')
    expect(all.body).toEqual({ discarded: 2 })
    expect(await rows('ada')).toEqual([])
  })

  it('If-Match with the previous version saves; a stale one is 412 with the current version', async () => {
    const v1 = (await t.callJson('PUT', '/pending/notes/dev/doc.md', { body: 'v1' })).body.version
    const v2 = await t.callJson('PUT', '/pending/notes/dev/doc.md', {
      body: 'v2',
      headers: { 'If-Match': `"${v1}"` },
    })
    expect(v2.status).toBe(200)
    const stale = await t.callJson('PUT', '/pending/notes/dev/doc.md', {
      body: 'v3 from an old tab',
      headers: { 'If-Match': `"${v1}"` },
    })
    expect(stale.status).toBe(412)
    expect(stale.body.error).toMatchObject({
      code: 'PRECONDITION_FAILED',
      path: 'doc.md',
      currentVersion: v2.body.version,
    })
    expect(await (await t.call('GET', '/pending/notes/dev/doc.md')).text()).toBe('v2')

    const gone = await t.callJson('PUT', '/pending/notes/dev/other.md', {
      body: 'x',
      headers: { 'If-Match': '"1"' },
    })
    expect(gone.status).toBe(412)
    expect(gone.body.error.currentVersion).toBeNull()
    const createOnly = await t.callJson('PUT', '/pending/notes/dev/doc.md', {
      body: 'x',
      headers: { 'If-None-Match': '*' },
    })
    expect(createOnly.status).toBe(412)
    expect(
      (
        await t.callJson('PUT', '/pending/notes/dev/fresh.md', {
          body: 'x',
          headers: { 'If-None-Match': '*' },
        })
      ).status,
    ).toBe(200)
  })

  it('two devices saving on the same version at once: one wins, the other gets 412', async () => {
    const base = (await t.callJson('PUT', '/pending/notes/duo/race.md', { body: 'base' })).body
      .version
    for (let round = 0; round < 5; round++) {
      const current = (await t.callJson('PUT', '/pending/notes/duo/race.md', { body: `r${round}` }))
        .body.version
      const [a, b] = await Promise.all(
        ['laptop', 'phone'].map((device) =>
          t.callJson('PUT', '/pending/notes/duo/race.md', {
            body: `${device} ${round}`,
            headers: { 'If-Match': `"${current}"` },
          }),
        ),
      )
      const statuses = [a.status, b.status].sort()
      expect(statuses).toEqual([200, 412])
      const winner = a.status === 200 ? a : b
      const loser = a.status === 200 ? b : a
      expect(loser.body.error.currentVersion).toBe(winner.body.version)
      const stored = await t.call('GET', '/pending/notes/duo/race.md')
      expect(await stored.text()).toBe(winner === a ? `laptop ${round}` : `phone ${round}`)
    }
    expect(base).toBeTruthy()
  })

  it('a burst of saves and a deletion, written together, keep each its own bytes', async () => {
    await t.callJson('PUT', '/files/notes/burst/kept.md', { body: 'committed\n' })
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const bodies = Array.from({ length: 40 }, (_, i) =>
      i === 0 ? Buffer.alloc(0) : Buffer.concat([every, Buffer.from(`file ${i}\n`.repeat(i * 50))]),
    )
    const [deletion, ...saves] = await Promise.all([
      t.callJson('POST', '/pending/notes/burst/delete/burst/kept.md'),
      ...bodies.map((body, i) =>
        t.callJson('PUT', `/pending/notes/burst/burst/f${i}.bin`, { body }),
      ),
    ])
    expect(deletion.body).toMatchObject({ action: 'deleted', oid: null, size: 0 })
    expect(saves.map((s) => [s.status, s.body.action, s.body.size])).toEqual(
      bodies.map((b) => [200, 'created', b.length]),
    )
    const stored = new Map((await rows('burst')).map((r) => [r.path, r]))
    expect(stored.get('burst/kept.md')).toMatchObject({ action: 'deleted', content: null })
    bodies.forEach((body, i) => expect(stored.get(`burst/f${i}.bin`)?.content).toEqual(body))
    // one feed event each, with consecutive cursors
    const { rows: events } = await t.db.query<{ seq: string; path: string }>(
      `SELECT e.seq, convert_from(e.path, 'UTF8') AS path FROM project_events e JOIN repos r USING (repo_id)
       WHERE r.name = 'notes' AND e.user_id = 'burst' ORDER BY e.seq`,
    )
    expect(events.map((e) => e.path).sort()).toEqual([...stored.keys()].sort())
    expect(Number(events.at(-1)!.seq) - Number(events[0].seq)).toBe(events.length - 1)
  })

  it('a save onto a directory, or under a file, is 409 PATH_CONFLICT unless deletions clear the way', async () => {
    await t.callJson('PUT', '/projects/swap')
    await t.callJson('PUT', '/files/swap/dir/a.md', { body: 'a' })
    await t.callJson('PUT', '/files/swap/dir/b.md', { body: 'b' })
    await t.callJson('PUT', '/files/swap/file.md', { body: 'f' })
    const onDir = await t.callJson('PUT', '/pending/swap/ada/dir', { body: 'x' })
    expect([onDir.status, onDir.body.error.code]).toEqual([409, 'PATH_CONFLICT'])
    const underFile = await t.callJson('PUT', '/pending/swap/ada/file.md/x', { body: 'x' })
    expect([underFile.status, underFile.body.error.code]).toEqual([409, 'PATH_CONFLICT'])
    expect(await rows('ada')).toEqual([])

    // with the file deleted, a file under its name is a directory swap git makes too
    await t.call('POST', '/pending/swap/ada/delete/file.md')
    expect((await t.call('PUT', '/pending/swap/ada/file.md/x', { body: 'x' })).status).toBe(200)
    // half the directory deleted is not enough; all of it is
    await t.call('POST', '/pending/swap/ada/delete/dir/a.md')
    expect((await t.call('PUT', '/pending/swap/ada/dir', { body: 'd' })).status).toBe(409)
    await t.call('POST', '/pending/swap/ada/delete/dir/b.md')
    expect((await t.call('PUT', '/pending/swap/ada/dir', { body: 'd' })).status).toBe(200)

    const commit = await t.callJson('POST', '/projects/swap/commits', {
      json: { userId: 'ada', message: 'swap', author: { name: 'Ada', email: 'ada@example.com' } },
    })
    expect(commit.status).toBe(201)
    const files = (await t.callJson('GET', '/files/swap')).body.files
    expect(files.map((f: { path: string }) => f.path)).toEqual(['dir', 'file.md/x'])
    expect(await (await t.call('GET', '/files/swap/dir')).text()).toBe('d')
  })

  it('unknown project is 404 on every pending route', async () => {
    for (const [method, path] of [
      ['GET', '/pending/ghost/ada'],
      ['PUT', '/pending/ghost/ada/a.md'],
      ['GET', '/pending/ghost/ada/a.md'],
      ['DELETE', '/pending/ghost/ada/a.md'],
      ['DELETE', '/pending/ghost/ada'],
      ['POST', '/pending/ghost/ada/delete/a.md'],
    ]) {
      const res = await t.callJson(method, path, method === 'PUT' ? { body: 'x' } : {})
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(res.body.error.code).toBe('PROJECT_NOT_FOUND')
    }
  })
})
