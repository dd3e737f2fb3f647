import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { keyFromHeaders } from '../auth/credentials.ts'
import type { RouteModule } from '../context.ts'
import { readBody } from '../routes/read-body.ts'
import { ApiCaller } from './api-caller.ts'
import { DEFAULT_MCP_MAX_BATCH, parseMcpBody } from './batch-limit.ts'
import { registerContentTools } from './content-tools.ts'
import { registerReadTools, type ToolContext } from './read-tools.ts'
import { registerWriteTools } from './write-tools.ts'

/** Characters one tool result holds by default (about 10,000 tokens). */
export const DEFAULT_MCP_MAX_CHARS = 40_000

export const MCP_PATH = '/mcp'

const INSTRUCTIONS =
  'gitpg stores git repositories ("projects"). Read with list_files, read_files, grep, log, ' +
  "diff and blame; change files with save_pending (a user's uncommitted work) and commit it " +
  "with commit_pending. Errors start with the API's code, e.g. PROJECT_NOT_FOUND."

/** An MCP server whose tools call the REST API as `context.api`. */
export function createMcpServer(context: ToolContext): McpServer {
  const server = new McpServer({ name: 'gitpg', version: '0.1.0' }, { instructions: INSTRUCTIONS })
  registerReadTools(server, context)
  registerContentTools(server, context)
  registerWriteTools(server, context)
  return server
}

const methodNotAllowed = () =>
  Response.json(
    {
      jsonrpc: '2.0',
      error: { code: -32000, message: 'this server is stateless: send requests with POST' },
      id: null,
    },
    { status: 405, headers: { Allow: 'POST' } },
  )

/**
 * The Model Context Protocol at `POST /mcp` (Streamable HTTP, stateless: a server and transport
 * per request). Each tool calls the REST app in-process with the caller's key, so a tool is
 * scoped, validated and answered exactly like its route. GET and DELETE (streams and sessions)
 * answer 405, as the transport's stateless mode expects. A JSON-RPC batch of more than
 * `mcpMaxBatch` messages (default 10) is refused with 400 and JSON-RPC error -32600.
 *
 * @example
 * // an MCP client: { "url": "http://127.0.0.1:3001/mcp", "headers": { "Authorization": "Bearer gitpg_…" } }
 */
export const mcpRoutes: RouteModule = (app, deps) => {
  const maxChars = deps.config.mcpMaxChars ?? DEFAULT_MCP_MAX_CHARS
  const maxBatch = deps.config.mcpMaxBatch ?? DEFAULT_MCP_MAX_BATCH
  app.post(MCP_PATH, async (c) => {
    // the body limit has bounded the body; the batch limit bounds the tool calls it may start
    const parsed = parseMcpBody({ body: await readBody(c), maxBatch })
    if (parsed instanceof Response) return parsed
    // the auth middleware has accepted this key already
    const key = keyFromHeaders(c.req.raw.headers, { basic: false })!
    const server = createMcpServer({ api: new ApiCaller({ app, key }), maxChars })
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    })
    await server.connect(transport)
    try {
      return await transport.handleRequest(c.req.raw, { parsedBody: parsed.message })
    } finally {
      await server.close()
    }
  })
  app.get(MCP_PATH, methodNotAllowed)
  app.delete(MCP_PATH, methodNotAllowed)
}
