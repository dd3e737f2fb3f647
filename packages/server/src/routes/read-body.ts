import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'
import type { AppEnv } from '../context.ts'

/** Bodies up to this size are read in one piece and copied once. */
const SMALL_BODY = 256 * 1024

/**
 * The request body as one Buffer, read once: into a buffer of the declared `Content-Length`
 * when there is one (no list of chunks joined at the end, no ArrayBuffer copied into a Buffer),
 * or as the body limit already read it. Memory holds the body once.
 *
 * @example
 * const content = await readBody(c)
 */
export async function readBody(c: Context<AppEnv>): Promise<Buffer> {
  const held = c.get('body')
  if (held) return held
  const declaredLength = Number(c.req.header('content-length'))
  // on Node, straight from the socket's message: building the web Request and its stream costs
  // more than the save itself for a small body
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  if (incoming && !incoming.readableDidRead && Number.isSafeInteger(declaredLength))
    return readIncoming(incoming, declaredLength)
  const raw = c.req.raw
  if (!raw.body) return Buffer.alloc(0)
  const declared = Number(c.req.header('content-length'))
  // small bodies (autosaves, mostly): one read is cheaper than a stream's chunks, and the copy small
  if (!Number.isSafeInteger(declared) || declared < 0 || declared <= SMALL_BODY)
    return Buffer.from(await c.req.arrayBuffer())
  let out = Buffer.allocUnsafe(declared)
  let at = 0
  for await (const chunk of raw.body as unknown as AsyncIterable<Uint8Array>) {
    // a body longer than declared (HTTP/1.1 framing makes this an edge case): grow once
    if (at + chunk.byteLength > out.length)
      out = Buffer.concat([out.subarray(0, at)], Math.max(at + chunk.byteLength, out.length * 2))
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return at === out.length ? out : out.subarray(0, at)
}

/** The body of a Node request with a `Content-Length`, into one buffer of that size. */
function readIncoming(incoming: IncomingMessage, declared: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let out = Buffer.allocUnsafe(declared)
    let at = 0
    incoming.on('data', (chunk: Buffer) => {
      if (at + chunk.length > out.length)
        out = Buffer.concat([out.subarray(0, at)], Math.max(at + chunk.length, out.length * 2))
      chunk.copy(out, at)
      at += chunk.length
    })
    incoming.once('end', () => resolve(at === out.length ? out : out.subarray(0, at)))
    incoming.once('error', reject)
    incoming.once('aborted', () => reject(new Error('request aborted')))
  })
}
