import type { Context } from 'hono'
import type { AppEnv } from '../context.ts'

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
  const raw = c.req.raw
  if (!raw.body) return Buffer.alloc(0)
  const declared = Number(c.req.header('content-length'))
  if (!Number.isSafeInteger(declared) || declared < 0) return Buffer.from(await raw.arrayBuffer())
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
