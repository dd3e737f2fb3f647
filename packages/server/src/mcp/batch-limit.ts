/** JSON-RPC messages one `POST /mcp` may carry by default (`GITPG_MCP_MAX_BATCH`). */
export const DEFAULT_MCP_MAX_BATCH = 10

/** A JSON-RPC error answer with no request id: the request as a whole was refused. */
const jsonRpcError = ({
  status,
  code,
  message,
}: {
  status: number
  code: number
  message: string
}) => Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status })

/**
 * The body of `POST /mcp` as JSON, or the answer that refuses it: 400 `-32700` for a body that
 * is not JSON, 400 `-32600` for a batch of more than `maxBatch` messages. Each message of a
 * batch may be a tool call (a grep of seconds), so the batch size bounds one request's work.
 *
 * @example
 * const parsed = parseMcpBody({ body: await readBody(c), maxBatch: 10 })
 * if (parsed instanceof Response) return parsed
 */
export function parseMcpBody({
  body,
  maxBatch,
}: {
  body: Buffer
  maxBatch: number
}): { message: unknown } | Response {
  let message: unknown
  try {
    message = JSON.parse(body.toString('utf8'))
  } catch {
    return jsonRpcError({ status: 400, code: -32700, message: 'Parse error: Invalid JSON' })
  }
  if (Array.isArray(message) && message.length > maxBatch)
    return jsonRpcError({
      status: 400,
      code: -32600,
      message:
        `Invalid Request: a batch of ${message.length} messages; this server takes at most ` +
        `${maxBatch} in one request (GITPG_MCP_MAX_BATCH): send the rest in further requests`,
    })
  return { message }
}
