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

/** Bytes of content `contentJson` turns into one string at a time. */
const JSON_SLICE = 1024 * 1024

/**
 * The JSON members `"encoding":…,"content":"…"` of `encodeContent(content)`, as strings of at
 * most a few MB each: a large file is never one string (base64 of 3-byte slices, UTF-8 text cut
 * between characters).
 *
 * @example
 * const json = [...contentJson(Buffer.from('hi'))].join('') // "encoding":"utf8","content":"hi"
 */
export function* contentJson(content: Buffer, slice = JSON_SLICE): Generator<string> {
  if (!isUtf8(content)) {
    yield '"encoding":"base64","content":"'
    const step = Math.max(3, slice - (slice % 3))
    for (let at = 0; at < content.length; at += step)
      yield content.toString('base64', at, Math.min(at + step, content.length))
    yield '"'
    return
  }
  yield '"encoding":"utf8","content":"'
  for (let at = 0; at < content.length;) {
    let end = Math.min(at + slice, content.length)
    // back off continuation bytes (10xxxxxx) so the slice ends between characters
    while (end < content.length && end > at + 1 && (content[end] & 0xc0) === 0x80) end--
    yield JSON.stringify(content.toString('utf8', at, end)).slice(1, -1)
    at = end
  }
  yield '"'
}
