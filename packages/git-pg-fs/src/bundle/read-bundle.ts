import { GitPgError } from '../errors.ts'

export interface BundleRef {
  name: string
  oid: string
}

export interface Bundle {
  version: 2 | 3
  /** commits the receiving repository must already have */
  prerequisites: string[]
  refs: BundleRef[]
  /** v3 capabilities (`object-format=sha1`, ...) */
  capabilities: string[]
  pack: Buffer
}

const OID = /^[0-9a-f]{40}$/

/**
 * Parses a git bundle (v2 or v3, sha1): its header lines and the pack after the blank line.
 * Throws `GitPgError` `BAD_BUNDLE` on anything else.
 *
 * @example
 * const { refs, pack } = readBundle(await readFile('repo.bundle'))
 */
export function readBundle(data: Buffer): Bundle {
  const fail = (why: string) => new GitPgError('BAD_BUNDLE', `not a git bundle: ${why}`)
  let i = 0
  const nextLine = () => {
    const nl = data.indexOf(0x0a, i)
    if (nl < 0) throw fail('header is not terminated')
    const line = data.toString('utf8', i, nl)
    i = nl + 1
    return line
  }
  const signature = nextLine()
  const version = signature === '# v2 git bundle' ? 2 : signature === '# v3 git bundle' ? 3 : 0
  if (version === 0) throw fail('unknown signature')
  const bundle: Bundle = { version, prerequisites: [], refs: [], capabilities: [], pack: data }
  for (;;) {
    const line = nextLine()
    if (line === '') break
    if (line.startsWith('@')) {
      const cap = line.slice(1)
      if (cap.startsWith('object-format=') && cap !== 'object-format=sha1')
        throw fail(`unsupported ${cap}`)
      bundle.capabilities.push(cap)
    } else if (line.startsWith('-')) {
      const oid = line.slice(1, 41)
      if (!OID.test(oid)) throw fail(`bad prerequisite line ${JSON.stringify(line)}`)
      bundle.prerequisites.push(oid)
    } else {
      const oid = line.slice(0, 40)
      const name = line.slice(41)
      if (!OID.test(oid) || line[40] !== ' ' || name === '')
        throw fail(`bad ref line ${JSON.stringify(line)}`)
      bundle.refs.push({ name, oid })
    }
  }
  bundle.pack = data.subarray(i)
  return bundle
}
