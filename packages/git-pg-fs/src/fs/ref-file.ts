import { isOid } from '../objects/git-object.ts'
import type { RefRecord } from '../store/git-store.ts'

export type RefValue = { oid: string; target?: undefined } | { oid?: undefined; target: string }

/** The text of a loose ref file: `<oid>\n`, or `ref: <target>\n` for a symbolic ref. */
export function formatRefFile(ref: Pick<RefRecord, 'oid' | 'target'>): string {
  return ref.target !== null ? `ref: ${ref.target}\n` : `${ref.oid}\n`
}

/** Parses a loose ref file; null when it is neither an object id nor `ref: <name>`. */
export function parseRefFile(text: string): RefValue | null {
  const value = text.trim()
  if (isOid(value)) return { oid: value }
  const symbolic = /^ref:\s*(\S+)$/.exec(value)
  return symbolic ? { target: symbolic[1] } : null
}

/** The refs a `packed-refs` file lists (peeled `^` lines and comments skipped). */
export function parsePackedRefs(text: string): Map<string, string> {
  const refs = new Map<string, string>()
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{40}) (\S+)$/.exec(line.trim())
    if (match) refs.set(match[2], match[1])
  }
  return refs
}
