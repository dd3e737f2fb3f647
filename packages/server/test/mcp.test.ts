import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { git, gitOutput, lines } from '../../../test/support/git-cli.ts'
import { startTestStack, type TestStack } from '../../../test/support/test-stack.ts'

const KEY = 'mcp-admin-key-0123456789abcdef'
const MAX_CHARS = 2000
let stack: TestStack
let work: string
const commits: string[] = []
const clients: Client[] = []

/** An MCP client of the SDK, over HTTP, sending `key` as a Bearer token. */
async function connect(key: string): Promise<Client> {
  const client = new Client({ name: 'gitpg-test', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(`${stack.server.url}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  })
  await client.connect(transport)
  clients.push(client)
  return client
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args })
  const content = result.content as { type: string; text: string }[]
  return { isError: result.isError === true, text: content.map((c) => c.text).join('\n') }
}

async function commitAll(message: string) {
  await git(work, ['add', '-A'])
  await git(work, ['-c', 'user.name=Ada', '-c', 'user.email=ada@x', 'commit', '-qm', message])
  commits.push((await gitOutput(work, ['rev-parse', 'HEAD'])).trim())
}

async function createKey(projects: string[], scope: string): Promise<string> {
  const res = await stack.api('POST', '/keys', { projects, scope })
  return ((await res.json()) as { key: string }).key
}

beforeAll(async () => {
  stack = await startTestStack({
    name: 'mcp',
    apiKey: KEY,
    env: { GITPG_MCP_MAX_CHARS: String(MAX_CHARS) },
  })
  expect((await stack.api('PUT', '/projects/app', {})).status).toBe(201)
  expect((await stack.api('PUT', '/projects/other', {})).status).toBe(201)
  work = join(stack.tmp, 'work')
  await git(stack.tmp, ['init', '-q', '-b', 'main', work])
  await mkdir(join(work, 'src'))
  await writeFile(join(work, 'README.md'), '# app\n')
  await writeFile(join(work, 'src/a.ts'), 'export const a = 1\n')
  await commitAll('first')
  await writeFile(join(work, 'src/a.ts'), 'export const a = 2\nexport const b = 3\n')
  await writeFile(join(work, 'src/gone.ts'), 'x\n')
  await commitAll('second')
  for (let i = 0; i < 60; i++)
    await writeFile(join(work, `src/file-${String(i).padStart(2, '0')}.ts`), `// ${i}\n`)
  await git(work, ['rm', '-q', 'src/gone.ts'])
  await writeFile(join(work, 'big.txt'), 'y'.repeat(5000))
  await writeFile(
    join(work, 'src/a.ts'),
    'export const a = 2\nexport const b = 3\nexport const c = 4\n',
  )
  await commitAll('third\n\nwith a body')
  await git(work, ['push', '-q', stack.remote('app'), 'main'])
})
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {})
  await stack?.close()
})

describe('MCP at /mcp', () => {
  it('lists the tools of the contract, each with a description', async () => {
    const client = await connect(KEY)
    const { tools } = await client.listTools()
    const names = tools.map((t) => t.name)
    for (const name of [
      'list_files',
      'read_files',
      'grep',
      'log',
      'diff',
      'blame',
      'save_pending',
      'commit_pending',
    ])
      expect(names).toContain(name)
    for (const t of tools) {
      expect(t.description!.length).toBeGreaterThan(40)
      expect(t.inputSchema.properties).toHaveProperty('project')
    }
  })

  it('log gives the commits git log gives, newest first, a page at a time', async () => {
    const client = await connect(await createKey(['app'], 'read'))
    const first = await call(client, 'log', { project: 'app', limit: 2 })
    expect(first.isError).toBe(false)
    const cursor = /cursor="([^"]+)"/.exec(first.text)![1]
    const second = await call(client, 'log', { project: 'app', limit: 2, cursor })
    const oids = (t: string) => [...t.matchAll(/^([0-9a-f]{40}) /gm)].map((m) => m[1])
    const expected = lines(await gitOutput(work, ['log', '--format=%H']))
    expect([...oids(first.text), ...oids(second.text)]).toEqual(expected)
    expect(first.text).toContain(`${expected[0]} `)
    expect(first.text).toMatch(/Ada: third$/m)
    const byPath = await call(client, 'log', { project: 'app', path: 'src/gone.ts' })
    expect(oids(byPath.text)).toEqual(
      lines(await gitOutput(work, ['log', '--format=%H', '--', 'src/gone.ts'])),
    )
  })

  it('diff gives what git diff --name-status gives, and the patch git diff gives', async () => {
    const client = await connect(await createKey(['app'], 'read'))
    const [a, b] = commits
    const names = await call(client, 'diff', { project: 'app', from: a, to: b })
    expect(names.text).toBe(
      (await gitOutput(work, ['diff', '--name-status', '--no-renames', a, b])).trimEnd(),
    )
    const patch = await call(client, 'diff', { project: 'app', from: a, to: b, patch: true })
    expect(patch.text).toBe(await gitOutput(work, ['diff', a, b]))
  })

  it('pages a long patch and says how to get the rest', async () => {
    const client = await connect(KEY)
    const [, b, c] = commits
    const expected = await gitOutput(work, ['diff', b, c])
    const pages: string[] = []
    let cursor: string | undefined
    do {
      const page = await call(client, 'diff', {
        project: 'app',
        from: b,
        to: c,
        patch: true,
        cursor,
      })
      expect(page.text.length).toBeLessThan(MAX_CHARS + 200)
      const m = /\n\[truncated: call diff again with the same arguments and cursor="(\d+)"\]$/.exec(
        page.text,
      )
      pages.push(m ? page.text.slice(0, m.index) : page.text)
      cursor = m?.[1]
    } while (cursor !== undefined && pages.length < 50)
    expect(pages.length).toBeGreaterThan(1)
    expect(pages.join('')).toBe(expected)
  })

  it('every tool that can answer many results takes limit and cursor', async () => {
    const { tools } = await (await connect(KEY)).listTools()
    for (const name of ['list_files', 'grep', 'log', 'diff', 'blame']) {
      const properties = tools.find((t) => t.name === name)!.inputSchema.properties
      expect(properties, name).toHaveProperty('limit')
      expect(properties, name).toHaveProperty('cursor')
    }
  })

  it('diff pages the changed paths with limit and cursor, as git diff --name-status lists them', async () => {
    const client = await connect(await createKey(['app'], 'read'))
    const [, b, c] = commits
    const expected = lines(await gitOutput(work, ['diff', '--name-status', '--no-renames', b, c]))
    const listed: string[] = []
    let cursor: string | undefined
    let pages = 0
    for (; pages < 20; pages++) {
      const page = await call(client, 'diff', { project: 'app', from: b, to: c, limit: 25, cursor })
      const m = /\n\n\[more: call diff again with the same arguments and cursor="(\d+)"\]$/.exec(
        page.text,
      )
      listed.push(...lines(m ? page.text.slice(0, m.index) : page.text))
      cursor = m?.[1]
      if (cursor === undefined) break
    }
    expect(pages).toBe(2)
    expect(expected.length).toBeGreaterThan(50)
    expect(listed).toEqual(expected)
  })

  it('list_files pages through what git ls-tree lists', async () => {
    const client = await connect(await createKey(['app'], 'read'))
    const listed: string[] = []
    let cursor: string | undefined
    for (let i = 0; i < 20; i++) {
      const page = await call(client, 'list_files', { project: 'app', limit: 25, cursor })
      listed.push(
        ...lines(page.text.replace(/\n\n\[.*\]$/s, ''))
          .slice(1)
          .map((l) => l.split('\t')[0]),
      )
      cursor = /cursor="(\d+)"/.exec(page.text)?.[1]
      if (!cursor) break
    }
    expect(listed).toEqual(lines(await gitOutput(work, ['ls-tree', '-r', '--name-only', 'HEAD'])))
  })

  it('read_files reads files as git has them and lists what did not fit', async () => {
    const client = await connect(await createKey(['app'], 'read'))
    const res = await call(client, 'read_files', {
      project: 'app',
      paths: ['README.md', 'src/a.ts', 'big.txt', 'nope.md'],
    })
    expect(res.text).toContain(
      `--- README.md ---\n${await gitOutput(work, ['show', 'HEAD:README.md'])}`,
    )
    expect(res.text).toContain(
      `--- src/a.ts ---\n${await gitOutput(work, ['show', 'HEAD:src/a.ts'])}`,
    )
    expect(res.text).toContain('[not found: nope.md]')
    expect(res.text).toContain('call read_files again with paths ["big.txt"]')
    const parts: string[] = []
    let offset: number | undefined
    do {
      const page = await call(client, 'read_files', { project: 'app', paths: ['big.txt'], offset })
      expect(page.text.length).toBeLessThanOrEqual(MAX_CHARS)
      const m =
        /\n\[truncated: \d+ of 5000 characters read: call read_files again with paths \["big.txt"\] and offset=(\d+)\]$/.exec(
          page.text,
        )
      parts.push(
        page.text
          .replace('--- big.txt ---\n', '')
          .slice(0, m ? m.index - '--- big.txt ---\n'.length : undefined),
      )
      offset = m ? Number(m[1]) : undefined
    } while (offset !== undefined && parts.length < 10)
    expect(parts.length).toBe(3)
    expect(parts.join('')).toBe(await gitOutput(work, ['show', 'HEAD:big.txt']))
    const two = await call(client, 'read_files', { project: 'app', paths: ['a', 'b'], offset: 1 })
    expect(two.text).toMatch(/^VALIDATION_FAILED \(HTTP 400\)/)
  })

  it('grep finds what git grep finds, with context and pages', async () => {
    const client = await connect(await createKey(['app'], 'read'))
    const res = await call(client, 'grep', { project: 'app', pattern: 'export const' })
    expect(res.isError).toBe(false)
    const expected = await gitOutput(work, ['grep', '-n', '-I', '-F', '-e', 'export const', 'HEAD'])
    expect(res.text).toBe(expected.replaceAll('HEAD:', '').trimEnd())
    const regex = await call(client, 'grep', {
      project: 'app',
      pattern: '^// [0-9]$',
      regex: true,
      path: 'src/',
    })
    const gitRegex = await gitOutput(work, [
      'grep',
      '-n',
      '-I',
      '-E',
      '-e',
      '^// [0-9]$',
      'HEAD',
      '--',
      'src/',
    ])
    expect(regex.text).toBe(gitRegex.replaceAll('HEAD:', '').trimEnd())
    const context = await call(client, 'grep', { project: 'app', pattern: 'const b', context: 1 })
    expect(context.text).toBe(
      'src/a.ts-1-export const a = 2\nsrc/a.ts:2:export const b = 3\nsrc/a.ts-3-export const c = 4',
    )
    const first = await call(client, 'grep', { project: 'app', pattern: '//', limit: 7 })
    const cursor = /\[more: call grep again with cursor="([^"]+)"\]$/.exec(first.text)![1]
    const rest = await call(client, 'grep', { project: 'app', pattern: '//', cursor, limit: 1000 })
    const all = await gitOutput(work, ['grep', '-n', '-I', '-F', '-e', '//', 'HEAD'])
    expect(`${first.text.replace(/\n\n\[more.*$/s, '')}\n${rest.text}`).toBe(
      all.replaceAll('HEAD:', '').trimEnd(),
    )
  })

  it('blame names the commits git blame names, a range at a time', async () => {
    const client = await connect(await createKey(['app'], 'read'))
    const porcelain = await gitOutput(work, ['blame', '--porcelain', 'HEAD', '--', 'src/a.ts'])
    const expected = [...porcelain.matchAll(/^([0-9a-f]{40}) \d+ (\d+)/gm)].map((m) =>
      m[1].slice(0, 12),
    )
    const res = await call(client, 'blame', { project: 'app', path: 'src/a.ts' })
    expect(res.isError).toBe(false)
    const got = [...res.text.matchAll(/^([0-9a-f]{12}) \S+ Ada (\d+): (.*)$/gm)]
    expect(got.map((m) => m[1])).toEqual(expected)
    expect(got.map((m) => m[3])).toEqual([
      'export const a = 2',
      'export const b = 3',
      'export const c = 4',
    ])
    expect(res.text).toContain(`commits:\n`)
    expect(res.text).toContain(`${commits[2]} third`)
    const page = await call(client, 'blame', { project: 'app', path: 'src/a.ts', limit: 2 })
    expect(page.text).toContain('[more: lines 3-3: call blame again with cursor="3"]')
    for (const args of [{ start: 3 }, { cursor: '3' }]) {
      const last = await call(client, 'blame', { project: 'app', path: 'src/a.ts', ...args })
      expect(last.text).toMatch(/^[0-9a-f]{12} \S+ Ada 3: export const c = 4\n\ncommits:/)
    }
    const bad = await call(client, 'blame', { project: 'app', path: 'src/a.ts', cursor: 'x' })
    expect(bad.text).toMatch(/^VALIDATION_FAILED \(HTTP 400\)/)
  })

  it('saves pending work and commits it, as git then sees it', async () => {
    const client = await connect(await createKey(['app'], 'write'))
    const saved = await call(client, 'save_pending', {
      project: 'app',
      userId: 'agent',
      path: 'notes/todo.md',
      content: '- ship it\n',
    })
    expect(saved).toMatchObject({ isError: false })
    expect(saved.text).toMatch(/^saved notes\/todo.md \(created, 10 bytes/)
    const seen = await call(client, 'read_files', {
      project: 'app',
      paths: ['notes/todo.md'],
      userId: 'agent',
    })
    expect(seen.text).toContain('--- notes/todo.md (pending) ---\n- ship it\n')
    const committed = await call(client, 'commit_pending', {
      project: 'app',
      userId: 'agent',
      message: 'todo',
    })
    const oid = /^committed ([0-9a-f]{40}) on main/.exec(committed.text)![1]
    await git(work, ['pull', '-q', '--ff-only', stack.remote('app'), 'main'])
    expect((await gitOutput(work, ['rev-parse', 'HEAD'])).trim()).toBe(oid)
    expect(await gitOutput(work, ['show', 'HEAD:notes/todo.md'])).toBe('- ship it\n')
    expect(await gitOutput(work, ['log', '-1', '--format=%an <%ae> %s'])).toBe(
      'agent <agent@users.gitpg> todo\n',
    )
    const again = await call(client, 'commit_pending', {
      project: 'app',
      userId: 'agent',
      message: 'x',
    })
    expect(again.isError).toBe(true)
    expect(again.text).toMatch(/^NOTHING_TO_COMMIT \(HTTP 422\)/)
  })

  it('scopes every tool like the route it calls', async () => {
    const reader = await connect(await createKey(['app'], 'read'))
    const write = await call(reader, 'save_pending', {
      project: 'app',
      userId: 'u',
      path: 'x',
      content: 'x',
    })
    expect(write.isError).toBe(true)
    expect(write.text).toMatch(/^FORBIDDEN \(HTTP 403\)/)
    const hidden = await call(reader, 'log', { project: 'other' })
    const unknown = await call(await connect(KEY), 'log', { project: 'nope' })
    expect(hidden.text).toMatch(/^PROJECT_NOT_FOUND \(HTTP 404\)/)
    expect(hidden.text.replace('other', 'X')).toBe(unknown.text.replace('nope', 'X'))
    const bad = await call(reader, 'diff', { project: 'app', from: 'no-such-ref' })
    expect(bad.isError).toBe(true)
    expect(bad.text).toMatch(/^[A-Z_]+ \(HTTP 4\d\d\)/)
  })

  it('never lets a "." or ".." in an argument turn a tool into another route', async () => {
    const writer = await connect(await createKey(['app'], 'write'))
    const saved = await call(writer, 'save_pending', {
      project: 'app',
      userId: 'agent',
      path: '../mallory/notes.md',
      content: 'x\n',
    })
    expect(saved.text).toMatch(/^INVALID_PATH \(HTTP 400\)/)
    const mallory = await stack.api('GET', '/pending/app/mallory')
    expect(((await mallory.json()) as { changes: unknown[] }).changes).toEqual([])
    const blame = await call(writer, 'blame', { project: 'app', path: '../../../files/app/x' })
    expect(blame.text).toMatch(/^INVALID_PATH \(HTTP 400\)/)
  })

  it('refuses a request without a key, and answers GET and DELETE with 405', async () => {
    const url = `${stack.server.url}/mcp`
    const init = { jsonrpc: '2.0', id: 1, method: 'tools/list' }
    const none = await fetch(url, { method: 'POST', body: JSON.stringify(init) })
    expect(none.status).toBe(401)
    const revokedKey = await stack.api('POST', '/keys', { projects: ['app'], scope: 'read' })
    const { id, key } = (await revokedKey.json()) as { id: string; key: string }
    await stack.api('DELETE', `/keys/${id}`)
    const revoked = await fetch(url, {
      method: 'POST',
      headers: { 'X-Internal-API-Key': key },
      body: '{}',
    })
    expect(revoked.status).toBe(401)
    for (const method of ['GET', 'DELETE'])
      expect(
        (await fetch(url, { method, headers: { Authorization: `Bearer ${KEY}` } })).status,
      ).toBe(405)
  })
})
