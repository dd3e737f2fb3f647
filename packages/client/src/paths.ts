import { GitpgError } from './errors.ts'

/**
 * A repository path: text, or its exact bytes for a name that is not UTF-8 (git paths are bytes).
 *
 * @example
 * const name: FilePath = 'docs/intro.md'
 * const latin1: FilePath = new Uint8Array([0x63, 0x61, 0x66, 0xe8]) // "caf\xe8"
 */
export type FilePath = string | Uint8Array

const UNRESERVED = /[A-Za-z0-9\-._~]/

/**
 * A repository path for a URL: each segment percent-encoded, the "/" between them kept. Bytes
 * are encoded one by one, which is how the server takes a name that is not UTF-8. Segments "."
 * and ".." are refused: a URL parser would resolve them and the request would name another route.
 *
 * @example
 * encodePath('docs/a b#1.md') // 'docs/a%20b%231.md'
 */
export function encodePath(path: FilePath): string {
  const segments =
    typeof path === 'string'
      ? path.split('/').map((s) => encodeURIComponent(s))
      : splitBytes(path).map(encodeBytes)
  return checkSegments(segments)
}

function checkSegments(segments: string[]): string {
  for (const segment of segments) {
    if (segment === '.' || segment === '..')
      throw new GitpgError({
        code: 'INVALID_PATH',
        status: 400,
        message: `a path cannot hold a "${segment}" segment`,
      })
  }
  return segments.join('/')
}

/** One URL segment (a project, user or key id): every reserved character encoded, "/" too. */
export function encodeSegment(value: string): string {
  return checkSegments([encodeURIComponent(value)])
}

function splitBytes(bytes: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = []
  let start = 0
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x2f) {
      parts.push(bytes.subarray(start, i))
      start = i + 1
    }
  }
  return parts
}

/** Bytes percent-encoded one by one, all but the unreserved ASCII characters. */
export function encodeBytes(bytes: Uint8Array): string {
  let out = ''
  for (const byte of bytes) {
    const char = String.fromCharCode(byte)
    out +=
      byte < 0x80 && UNRESERVED.test(char)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** Base64 of bytes, without Node's `Buffer` (browsers have `btoa`). */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** The bytes of a base64 string. */
export function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/**
 * The exact bytes of a path the server answered with: `pathBytes` when the name is not UTF-8,
 * else the UTF-8 of `path`.
 *
 * @example
 * const { files } = await client.files.list({ project: 'docs' })
 * const raw = pathBytesOf(files[0])
 */
export function pathBytesOf(entry: { path: string; pathBytes?: string | null }): Uint8Array {
  return entry.pathBytes ? fromBase64(entry.pathBytes) : new TextEncoder().encode(entry.path)
}

/**
 * Paths for a JSON body: all as text in `paths`, or, when one of them is bytes, all as base64
 * bytes in `pathBytes` (the server reads `paths` before `pathBytes`: one list keeps the order).
 */
export function pathsJson(
  paths: readonly FilePath[],
): { paths: string[] } | { pathBytes: string[] } {
  if (paths.every((p): p is string => typeof p === 'string')) return { paths: [...paths] }
  const encoder = new TextEncoder()
  return {
    pathBytes: paths.map((p) => toBase64(typeof p === 'string' ? encoder.encode(p) : p)),
  }
}
