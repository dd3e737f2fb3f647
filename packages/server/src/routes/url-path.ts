import { decodePath, InvalidPathError } from '@gitpg/git-pg-fs'

const HEX = /^[0-9a-fA-F]{2}$/

/**
 * Percent-decodes URL text to bytes: `%XX` is one byte whatever it is (so `caf%E8.txt` names the
 * bytes `caf\xe8.txt`, which `decodeURIComponent` refuses), any other character its UTF-8.
 */
export function percentDecode(raw: string, { plusIsSpace = false } = {}): Buffer {
  const out: Buffer[] = []
  let start = 0
  const flush = (end: number) => {
    if (end > start) out.push(Buffer.from(raw.slice(start, end), 'utf8'))
  }
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]
    if (ch === '%' && HEX.test(raw.slice(i + 1, i + 3))) {
      flush(i)
      out.push(Buffer.from([parseInt(raw.slice(i + 1, i + 3), 16)]))
      i += 2
      start = i + 1
    } else if (ch === '+' && plusIsSpace) {
      flush(i)
      out.push(Buffer.from(' '))
      start = i + 1
    }
  }
  flush(raw.length)
  return Buffer.concat(out)
}

/** The path and query of a request URL as sent, still percent-encoded. */
function splitUrl(url: string): { pathname: string; query: string } {
  const start = url.indexOf('/', url.indexOf(':') + 3)
  const hash = url.indexOf('#', start)
  const end = hash < 0 ? url.length : hash
  const q = url.indexOf('?', start)
  return q < 0 || q > end
    ? { pathname: url.slice(start, end), query: '' }
    : { pathname: url.slice(start, q), query: url.slice(q + 1, end) }
}

/**
 * The last parameter of a route (a file path, which may hold `/`) decoded from the URL's raw
 * bytes: everything after the first `segmentsBefore` segments of the path.
 *
 * @example
 * pathFromUrl('http://h/files/docs/caf%E8.txt', 2) // 'caf\udce8.txt'
 */
export function pathFromUrl(url: string, segmentsBefore: number): string {
  const { pathname } = splitUrl(url)
  let i = 0
  for (let k = 0; k <= segmentsBefore; k++) {
    const slash = pathname.indexOf('/', i)
    if (slash < 0) throw new InvalidPathError(pathname, 'is missing from the URL')
    i = slash + 1
  }
  return decodePath(percentDecode(pathname.slice(i)))
}

/**
 * A query parameter holding a path, decoded from the URL's raw bytes (`?path=caf%E8.txt`);
 * undefined when absent. The first occurrence wins.
 */
export function pathFromQuery(url: string, name: string): string | undefined {
  const { query } = splitUrl(url)
  if (query === '') return undefined
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=')
    const key = eq < 0 ? pair : pair.slice(0, eq)
    if (percentDecode(key, { plusIsSpace: true }).toString('utf8') !== name) continue
    return decodePath(percentDecode(eq < 0 ? '' : pair.slice(eq + 1), { plusIsSpace: true }))
  }
  return undefined
}
