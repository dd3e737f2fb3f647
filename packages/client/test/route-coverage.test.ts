import { describe, expect, it } from 'vitest'
import { createClient } from '../src/index.ts'
import { serverOpenApiDocument } from '../scripts/openapi-types.ts'

/**
 * Every operation of the server's OpenAPI document and the client method that calls it: a route
 * added to the server without a method here fails this test.
 */
const METHODS: Record<string, string> = {
  'get /health': 'health',
  'put /projects/{projectId}': 'projects.create',
  'get /projects/{projectId}': 'projects.get',
  'patch /projects/{projectId}': 'projects.update',
  'delete /projects/{projectId}': 'projects.delete',
  'post /projects/{projectId}/import': 'projects.import',
  'get /projects/{projectId}/export.bundle': 'projects.exportBundle',
  'get /projects/{projectId}/storage': 'projects.storage',
  'post /projects/{projectId}/maintenance': 'projects.maintain',
  'get /files/{projectId}': 'files.list',
  'post /files/{projectId}/batch': 'files.batch',
  'get /files/{projectId}/{path}': 'files.read',
  'put /files/{projectId}/{path}': 'files.write',
  'delete /files/{projectId}/{path}': 'files.delete',
  'get /pending/{projectId}/{userId}': 'pending.list',
  'delete /pending/{projectId}/{userId}': 'pending.discardAll',
  'get /pending/{projectId}/{userId}/diff': 'pending.diff',
  'post /pending/{projectId}/{userId}/delete/{path}': 'pending.recordDeletion',
  'get /pending/{projectId}/{userId}/{path}': 'pending.read',
  'put /pending/{projectId}/{userId}/{path}': 'pending.save',
  'delete /pending/{projectId}/{userId}/{path}': 'pending.discard',
  'post /projects/{projectId}/commits': 'commits.create',
  'get /projects/{projectId}/commits/{oid}': 'commits.get',
  'get /projects/{projectId}/log': 'log',
  'get /projects/{projectId}/diff': 'diff',
  'get /projects/{projectId}/grep': 'grep',
  'get /projects/{projectId}/blame/{path}': 'blame',
  'get /projects/{projectId}/branches': 'branches.list',
  'post /projects/{projectId}/branches': 'branches.create',
  'delete /projects/{projectId}/branches/{name}': 'branches.delete',
  'get /projects/{projectId}/tags': 'tags.list',
  'post /projects/{projectId}/tags': 'tags.create',
  'delete /projects/{projectId}/tags/{name}': 'tags.delete',
  'post /projects/{projectId}/pull': 'pull',
  'post /projects/{projectId}/push': 'push',
  'get /projects/{projectId}/changes': 'changes.subscribe',
  'post /keys': 'keys.create',
  'get /keys': 'keys.list',
  'delete /keys/{id}': 'keys.revoke',
}

/** Served by their own protocols' clients: MCP's SDK and git. */
const OTHER_CLIENTS = /^(get|post|delete) \/mcp$/

describe('the client', () => {
  it('has a method for every operation the server documents', async () => {
    const doc = (await serverOpenApiDocument()) as { paths: Record<string, object> }
    const operations = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`))
      .filter((op) => !OTHER_CLIENTS.test(op))
    expect(operations.sort()).toEqual(Object.keys(METHODS).sort())
    const client = createClient({ baseUrl: 'http://127.0.0.1:1' }) as unknown as Record<
      string,
      unknown
    >
    for (const name of Object.values(METHODS)) {
      const method = name
        .split('.')
        .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], client)
      expect(typeof method, name).toBe('function')
    }
  })
})
