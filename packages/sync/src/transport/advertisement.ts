import { packetText } from '@gitpg/git-pg-fs'
import type { RemoteRef } from './git-remote.ts'
import type { PacketStream } from './packet-stream.ts'
import { errPacket } from './packet-stream.ts'

const ZERO_OID = '0'.repeat(40)

/** A remote's answer to `GET info/refs?service=...`. */
export interface Advertisement {
  version: 1 | 2
  /** version 1 only: the refs (HEAD included, with its target when the remote says) */
  refs: RemoteRef[]
  /** capability → value (`true` for a bare capability) */
  capabilities: Map<string, string | true>
}

function addCapabilities(into: Map<string, string | true>, words: Iterable<string>) {
  for (const word of words) {
    if (!word) continue
    const eq = word.indexOf('=')
    if (eq < 0) into.set(word, true)
    else into.set(word.slice(0, eq), word.slice(eq + 1))
  }
}

/** Reads the advertisement of a smart-HTTP remote, version 1 (refs) or 2 (capabilities). */
export async function readAdvertisement(stream: PacketStream): Promise<Advertisement> {
  let p = await stream.require('the ref advertisement')
  if (packetText(p).startsWith('# service=')) {
    if ((await stream.require('a flush')) !== 'flush') throw stream.error('malformed service line')
    p = await stream.require('the ref advertisement')
  }
  const capabilities = new Map<string, string | true>()
  if (packetText(p) === 'version 2') {
    for (;;) {
      const line = await stream.require('capabilities')
      if (line === 'flush') break
      addCapabilities(capabilities, [packetText(line)])
    }
    return { version: 2, refs: [], capabilities }
  }
  const refs: RemoteRef[] = []
  const symrefs = new Map<string, string>()
  let first = true
  while (p !== 'flush') {
    if (!Buffer.isBuffer(p)) throw stream.error('unexpected packet in the ref advertisement')
    const err = errPacket(p, stream.url)
    if (err) throw err
    let text = packetText(p)
    if (first) {
      const nul = text.indexOf('\0')
      if (nul >= 0) {
        const words = text.slice(nul + 1).split(' ')
        addCapabilities(capabilities, words)
        for (const w of words)
          if (w.startsWith('symref=')) {
            const [from, to] = w.slice('symref='.length).split(':')
            symrefs.set(from, to)
          }
        text = text.slice(0, nul)
      }
      first = false
    }
    const m = /^([0-9a-f]{40}) (.+)$/.exec(text)
    if (!m) throw stream.error(`malformed ref line ${JSON.stringify(text.slice(0, 80))}`)
    const [, oid, name] = m
    if (name.endsWith('^{}')) {
      const base = refs.find((r) => r.name === name.slice(0, -3))
      if (base) base.peeled = oid
    } else if (!(oid === ZERO_OID && name === 'capabilities^{}')) {
      refs.push({ name, oid })
    }
    p = await stream.require('the end of the ref advertisement')
  }
  for (const r of refs) {
    const target = symrefs.get(r.name)
    if (target) r.target = target
  }
  return { version: 1, refs, capabilities }
}

/** Parses `ls-refs` output lines: `<oid> <name>[ symref-target:<ref>][ peeled:<oid>]`. */
export async function readLsRefs(stream: PacketStream): Promise<RemoteRef[]> {
  const refs: RemoteRef[] = []
  for (;;) {
    const p = await stream.require('the ref list')
    if (p === 'flush') return refs
    const err = errPacket(p, stream.url)
    if (err) throw err
    const [oid, name, ...attrs] = packetText(p).split(' ')
    if (!/^[0-9a-f]{40}$/.test(oid) || !name) throw stream.error('malformed ls-refs line')
    const ref: RemoteRef = { name, oid }
    for (const a of attrs) {
      if (a.startsWith('symref-target:')) ref.target = a.slice('symref-target:'.length)
      else if (a.startsWith('peeled:')) ref.peeled = a.slice('peeled:'.length)
    }
    refs.push(ref)
  }
}

/** `true` when a capability is advertised; with `feature`, when its value lists that feature. */
export function hasCapability(
  capabilities: Map<string, string | true>,
  name: string,
  feature?: string,
): boolean {
  const value = capabilities.get(name)
  if (value === undefined) return false
  if (feature === undefined) return true
  return typeof value === 'string' && value.split(' ').includes(feature)
}
