import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_KEY, createTestApp, type TestApp } from './support/test-app.ts'

const MAX_BATCH = 3
let t: TestApp

/** A raw JSON-RPC POST to /mcp, as a client that sends batches would make it. */
async function post(body: unknown) {
  const res = await t.app.request('/mcp', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${API_KEY}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: JSON.parse(text) as unknown }
}

const listFiles = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'list_files', arguments: { project: 'app' } },
})

beforeAll(async () => {
  t = await createTestApp({ config: { mcpMaxBatch: MAX_BATCH } })
  expect((await t.call('PUT', '/projects/app', { json: {} })).status).toBe(201)
})
afterAll(async () => {
  await t?.close()
})

describe('MCP batch limit', () => {
  it('answers a batch of up to mcpMaxBatch tool calls, one answer each', async () => {
    const res = await post([1, 2, 3].map(listFiles))
    expect(res.status).toBe(200)
    const answers = res.body as { id: number; result?: { isError?: boolean } }[]
    expect(answers.map((a) => a.id).sort()).toEqual([1, 2, 3])
    for (const a of answers) expect(a.result).toBeDefined()
  })

  it('refuses a larger batch with 400 and JSON-RPC error -32600, running none of it', async () => {
    const res = await post([1, 2, 3, 4].map(listFiles))
    expect(res.status).toBe(400)
    const { error, id } = res.body as { id: null; error: { code: number; message: string } }
    expect(id).toBeNull()
    expect(error.code).toBe(-32600)
    expect(error.message).toContain('a batch of 4 messages')
    expect(error.message).toContain('at most 3')
    expect(error.message).toContain('GITPG_MCP_MAX_BATCH')
  })

  it('still takes a single message, and answers a body that is not JSON with -32700', async () => {
    const one = await post(listFiles(7))
    expect(one.status).toBe(200)
    expect((one.body as { id: number }).id).toBe(7)
    const bad = await post('{not json')
    expect(bad.status).toBe(400)
    expect((bad.body as { error: { code: number } }).error.code).toBe(-32700)
  })
})
