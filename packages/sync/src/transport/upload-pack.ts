import { DELIM, FLUSH, packetText, pktLine, type Packet } from '@gitpg/git-pg-fs'
import { SyncError } from '../errors.ts'
import type { FetchRequest, FetchResult } from './git-remote.ts'
import { errPacket, sideBandData, type PacketStream } from './packet-stream.ts'

export const AGENT = 'gitpg/0.1'

/** The body of a protocol-v2 `fetch` that asks for everything at once (`done`). */
export function fetchRequestV2(req: FetchRequest, { agent }: { agent: boolean }): Buffer {
  const lines: Buffer[] = [pktLine('command=fetch\n')]
  if (agent) lines.push(pktLine(`agent=${AGENT}\n`))
  lines.push(DELIM, pktLine('thin-pack\n'), pktLine('ofs-delta\n'), pktLine('include-tag\n'))
  for (const oid of req.wants) lines.push(pktLine(`want ${oid}\n`))
  for (const oid of req.haves ?? []) lines.push(pktLine(`have ${oid}\n`))
  for (const oid of req.shallow ?? []) lines.push(pktLine(`shallow ${oid}\n`))
  if (req.depth) lines.push(pktLine(`deepen ${req.depth}\n`))
  lines.push(pktLine('done\n'), FLUSH)
  return Buffer.concat(lines)
}

/** The body of a protocol-v1 upload-pack request (stateless, `done` at once). */
export function fetchRequestV1(req: FetchRequest, capabilities: readonly string[]): Buffer {
  const lines: Buffer[] = []
  req.wants.forEach((oid, i) =>
    lines.push(pktLine(i === 0 ? `want ${oid} ${capabilities.join(' ')}\n` : `want ${oid}\n`)),
  )
  for (const oid of req.shallow ?? []) lines.push(pktLine(`shallow ${oid}\n`))
  if (req.depth) lines.push(pktLine(`deepen ${req.depth}\n`))
  lines.push(FLUSH)
  for (const oid of req.haves ?? []) lines.push(pktLine(`have ${oid}\n`))
  lines.push(pktLine('done\n'))
  return Buffer.concat(lines)
}

function shallowLine(p: Packet, into: FetchResult): boolean {
  const text = packetText(p)
  const m = /^(shallow|unshallow) ([0-9a-f]{40})$/.exec(text)
  if (!m) return false
  if (m[1] === 'shallow') into.shallow.push(m[2])
  else into.unshallow.push(m[2])
  return true
}

/**
 * Hands the pack over as it arrives from the side-band, reporting bytes; the caller reads it
 * once (framing errors and a cut connection surface while it is read).
 */
async function* noPack(): AsyncGenerator<Buffer> {}

function collectPack(
  stream: PacketStream,
  first: Packet | undefined,
  req: FetchRequest,
  result: FetchResult,
): FetchResult {
  async function* pack(): AsyncGenerator<Buffer> {
    let bytes = 0
    let objects: number | undefined
    let lastReport = 0
    let head = Buffer.alloc(0)
    const onMessage = (message: string) => req.onProgress?.({ phase: 'negotiating', message })
    for await (const chunk of sideBandData(stream, { first, onMessage })) {
      bytes += chunk.length
      if (objects === undefined && head.length < 12) {
        head = Buffer.concat([head, chunk])
        if (head.length >= 12 && head.toString('latin1', 0, 4) === 'PACK')
          objects = head.readUInt32BE(8)
      }
      if (req.onProgress && bytes - lastReport >= 256 * 1024) {
        lastReport = bytes
        req.onProgress({ phase: 'receiving', bytes, objects })
      }
      yield chunk
    }
    if (bytes === 0) throw stream.error('the remote sent no pack')
    req.onProgress?.({ phase: 'receiving', bytes, objects })
    req.onProgress?.({ phase: 'resolving', objects })
  }
  result.pack = pack()
  return result
}

/** Reads a protocol-v2 fetch answer: optional acknowledgments and shallow-info, then the pack. */
export async function readFetchResponseV2(
  stream: PacketStream,
  req: FetchRequest,
): Promise<FetchResult> {
  const result: FetchResult = { pack: noPack(), shallow: [], unshallow: [] }
  for (;;) {
    const header = await stream.require('a section header')
    const err = errPacket(header, stream.url)
    if (err) throw err
    const name = packetText(header)
    if (name === 'packfile') return collectPack(stream, undefined, req, result)
    if (!['acknowledgments', 'shallow-info', 'wanted-refs'].includes(name))
      throw stream.error(`unexpected section ${JSON.stringify(name.slice(0, 40))}`)
    for (;;) {
      const p = await stream.require(`the ${name} section`)
      if (p === 'delim') break
      if (p === 'flush') throw stream.error(`the remote sent no pack after ${name}`)
      if (name === 'shallow-info' && !shallowLine(p, result))
        throw stream.error('malformed shallow-info line')
    }
  }
}

/** Reads a protocol-v1 answer: shallow lines, ACK/NAK, then the side-band pack. */
export async function readFetchResponseV1(
  stream: PacketStream,
  req: FetchRequest,
): Promise<FetchResult> {
  const result: FetchResult = { pack: noPack(), shallow: [], unshallow: [] }
  for (;;) {
    const p = await stream.require('the pack')
    if (p === 'flush') continue
    if (!Buffer.isBuffer(p) || p.length === 0) throw stream.error('unexpected packet')
    if (p[0] >= 1 && p[0] <= 3) return collectPack(stream, p, req, result)
    const err = errPacket(p, stream.url)
    if (err) throw err
    const text = packetText(p)
    if (shallowLine(p, result) || text.startsWith('ACK ') || text === 'NAK') continue
    throw stream.error(`unexpected line ${JSON.stringify(text.slice(0, 60))}`)
  }
}

export function requireShallowSupport(supported: boolean, req: FetchRequest, url: string) {
  if (supported || (!req.depth && !(req.shallow && req.shallow.length > 0))) return
  throw new SyncError('REMOTE_PROTOCOL_ERROR', `${url} does not support shallow fetches`, { url })
}
