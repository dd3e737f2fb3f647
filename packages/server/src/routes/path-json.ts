import { z } from '@hono/zod-openapi'
import {
  decodePath,
  displayPath,
  encodePath,
  InvalidPathError,
  isDecodedPath,
  isPlainUtf8,
} from '@gitpg/git-pg-fs'

/**
 * Paths in JSON. A path whose bytes are valid UTF-8 is a plain string. Any other path is sent as
 * `path` for display (each byte that is not UTF-8 shown as U+FFFD) plus `pathBytes`, the base64
 * of its exact bytes; requests name such a path by `pathBytes` wherever they take `path`.
 */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

export const PathBytes = z
  .string()
  .min(1)
  .regex(BASE64, 'base64 of the path bytes')
  .openapi({ description: "base64 of the path's exact bytes (for names that are not UTF-8)" })

/** `{ path }`, or `{ path, pathBytes }` when the path's bytes are not UTF-8. */
export function pathJson(path: string): { path: string; pathBytes?: string } {
  if (isPlainUtf8(path)) return { path }
  return { path: displayPath(path), pathBytes: encodePath(path).toString('base64') }
}

/**
 * A list of paths for JSON: the display strings, and (only when some path is not UTF-8) a
 * parallel list with the base64 bytes of each such path and null for the others.
 */
export function pathListJson(paths: readonly string[]): {
  paths: string[]
  bytes?: (string | null)[]
} {
  if (paths.every(isPlainUtf8)) return { paths: [...paths] }
  return {
    paths: paths.map(displayPath),
    bytes: paths.map((p) => (isPlainUtf8(p) ? null : encodePath(p).toString('base64'))),
  }
}

/** A path named by its base64 bytes in a request. */
export function pathFromBytes(base64: string): string {
  return decodePath(Buffer.from(base64, 'base64'))
}

/**
 * A path given as a JSON or query string: refused when it holds a surrogate that no bytes decode
 * to, and written as `decodePath` would (a `\udce8` escape in JSON is the byte 0xE8).
 */
export function pathFromText(text: string): string {
  if (!/[\uD800-\uDFFF]/.test(text)) return text
  if (!isDecodedPath(text)) throw new InvalidPathError(displayPath(text), 'is not well-formed text')
  return decodePath(encodePath(text))
}

/**
 * An error's data and message for JSON: a `path` that is not UTF-8 as `pathBytes` too, and each
 * byte of it that is not UTF-8 shown as U+FFFD in `path` and the message.
 */
export function errorPathJson(
  data: Record<string, unknown> | undefined,
  message: string,
): Record<string, unknown> & { message: string } {
  const path = data?.path
  const shaped = typeof path === 'string' ? { ...data, ...pathJson(path) } : data
  return { ...shaped, message: displayPath(message) }
}
