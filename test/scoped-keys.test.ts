import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '@gitpg/server'
import { createStore } from '../packages/server/src/store/postgres/create-store.ts'
import { git, gitOutput } from './support/git-cli.ts'
import { startTestStack, type TestStack } from './support/test-stack.ts'

const KEY = 'scoped-keys-admin-key-0123456789'
let stack: TestStack

async function createKey(projects: string[], scope: string): Promise<{ id: string; key: string }> {
  const res = await stack.api('POST', '/keys', { projects, scope })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; key: string }
}

async function head(project: string): Promise<string> {
  const res = await stack.api('GET', `/projects/${project}`)
  return ((await res.json()) as { head: string }).head
}

beforeAll(async () => {
  stack = await startTestStack({
    name: 'scoped-keys',
    apiKey: KEY,
    env: { GITPG_KEY_CACHE_TTL: '1s' },
  })
  for (const project of ['site', 'secret']) {
    expect((await stack.api('PUT', `/projects/${project}`, {})).status).toBe(201)
    const put = await fetch(`${stack.server.url}/files/${project}/README.md`, {
      method: 'PUT',
      headers: { 'X-Internal-API-Key': KEY },
      body: `# ${project}\n`,
    })
    expect(put.status).toBe(201)
  }
})
afterAll(() => stack?.close())

describe('scoped keys over git smart HTTP', () => {
  it('a read key clones and fetches, and its push is refused with 403', async () => {
    const { key } = await createKey(['site'], 'read')
    const dir = join(stack.tmp, 'read-clone')
    await git(stack.tmp, ['clone', '-q', stack.remote('site', key), dir])
    expect((await gitOutput(dir, ['rev-parse', 'HEAD'])).trim()).toBe(await head('site'))
    await git(dir, ['fetch', '-q', 'origin'])
    await writeFile(join(dir, 'new.txt'), 'from a read key\n')
    await git(dir, ['add', 'new.txt'])
    await git(dir, ['-c', 'user.name=R', '-c', 'user.email=r@x', 'commit', '-qm', 'try'])
    const before = await head('site')
    await expect(git(dir, ['push', '-q', 'origin', 'HEAD:main'])).rejects.toThrow(/403/)
    expect(await head('site')).toBe(before)
  })

  it('a write key pushes', async () => {
    const { key } = await createKey(['site'], 'write')
    const dir = join(stack.tmp, 'write-clone')
    await git(stack.tmp, ['clone', '-q', stack.remote('site', key), dir])
    await writeFile(join(dir, 'pushed.txt'), 'from a write key\n')
    await git(dir, ['add', 'pushed.txt'])
    await git(dir, ['-c', 'user.name=W', '-c', 'user.email=w@x', 'commit', '-qm', 'write key'])
    await git(dir, ['push', '-q', 'origin', 'HEAD:main'])
    expect(await head('site')).toBe((await gitOutput(dir, ['rev-parse', 'HEAD'])).trim())
  })

  it('a key for other projects cannot tell the project from one that does not exist', async () => {
    const { key } = await createKey(['site'], 'admin')
    const hidden = git(stack.tmp, [
      'clone',
      '-q',
      stack.remote('secret', key),
      join(stack.tmp, 'h'),
    ])
    await expect(hidden).rejects.toThrow(/not found|404/)
    const hiddenRes = await fetch(
      `${stack.server.url}/git/secret.git/info/refs?service=git-upload-pack`,
      {
        headers: { Authorization: `Bearer ${key}` },
      },
    )
    const unknownRes = await fetch(
      `${stack.server.url}/git/nope.git/info/refs?service=git-upload-pack`,
      {
        headers: { Authorization: `Bearer ${KEY}` },
      },
    )
    expect([hiddenRes.status, (await hiddenRes.text()).replace('secret', 'X')]).toEqual([
      unknownRes.status,
      (await unknownRes.text()).replace('nope', 'X'),
    ])
  })
})

describe('revoking a key', () => {
  it('is refused by another server on the same database within the cache TTL', async () => {
    const { id, key } = await createKey(['site'], 'read')
    // a second server that has the key cached already
    const other = createApp({
      store: createStore(stack.db),
      db: stack.db,
      config: { apiKey: KEY, keyCacheTtlMs: 1000 },
    })
    const read = () =>
      other.request('/projects/site', { headers: { Authorization: `Bearer ${key}` } })
    expect((await read()).status).toBe(200)
    const revoked = await stack.api('DELETE', `/keys/${id}`)
    expect(revoked.status).toBe(200)
    const revokedAt = Date.now()
    // the server that revoked it refuses it at once
    const own = await fetch(`${stack.server.url}/projects/site`, {
      headers: { Authorization: `Bearer ${key}` },
    })
    expect(own.status).toBe(401)
    let status = 200
    while (status === 200 && Date.now() - revokedAt < 5000) status = (await read()).status
    expect(status).toBe(401)
    expect(Date.now() - revokedAt).toBeLessThan(1000 + 500)
  })
})
