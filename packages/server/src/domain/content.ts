import { isUtf8 } from 'node:buffer'

/** Whether bytes are text git would diff: no NUL in the first 8000 bytes (git's own test). */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0)
}

/** JSON form of file content: UTF-8 text as is, anything else base64. */
export function encodeContent(content: Buffer): { encoding: 'utf8' | 'base64'; content: string } {
  return isUtf8(content)
    ? { encoding: 'utf8', content: content.toString('utf8') }
    : { encoding: 'base64', content: content.toString('base64') }
}

/** The Content-Type a file body is served with. */
export function contentTypeOf(content: Buffer): string {
  return isUtf8(content) && !isBinary(content)
    ? 'text/plain; charset=utf-8'
    : 'application/octet-stream'
}
