import { GitPgError } from '../errors.ts'

/** A pkt-line packet: bytes, or one of git's special packets. */
export type Packet = Buffer | 'flush' | 'delim' | 'response-end'

/** Encodes one pkt-line (a string gets its trailing newline as given). */
export function pktLine(data: string | Buffer): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data
  if (body.length > 65516) throw new GitPgError('PROTOCOL_ERROR', 'pkt-line too long')
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body])
}

export const FLUSH = Buffer.from('0000')
export const DELIM = Buffer.from('0001')
export const RESPONSE_END = Buffer.from('0002')

/** Splits a buffer of pkt-lines into packets; throws on a malformed or truncated stream. */
export function parsePktLines(buf: Buffer): { packets: Packet[]; rest: Buffer } {
  const packets: Packet[] = []
  let i = 0
  while (i + 4 <= buf.length) {
    const lenText = buf.toString('latin1', i, i + 4)
    if (!/^[0-9a-f]{4}$/.test(lenText))
      throw new GitPgError('PROTOCOL_ERROR', 'malformed pkt-line length')
    const len = parseInt(lenText, 16)
    if (len === 0) packets.push('flush')
    else if (len === 1) packets.push('delim')
    else if (len === 2) packets.push('response-end')
    else if (len < 4) throw new GitPgError('PROTOCOL_ERROR', 'malformed pkt-line length')
    if (len < 4) {
      i += 4
      continue
    }
    if (i + len > buf.length) break
    packets.push(buf.subarray(i + 4, i + len))
    i += len
  }
  return { packets, rest: buf.subarray(i) }
}

/** Reads pkt-lines from a byte stream as they arrive. */
export async function* readPktLines(stream: AsyncIterable<Uint8Array>): AsyncGenerator<Packet> {
  let pending: Buffer = Buffer.alloc(0)
  for await (const chunk of stream) {
    pending = pending.length ? Buffer.concat([pending, Buffer.from(chunk)]) : Buffer.from(chunk)
    const { packets, rest } = parsePktLines(pending)
    pending = rest
    yield* packets
  }
  if (pending.length > 0) throw new GitPgError('PROTOCOL_ERROR', 'truncated pkt-line stream')
}

/** The text of a data packet without its trailing newline. */
export function packetText(p: Packet): string {
  if (!Buffer.isBuffer(p)) return ''
  const s = p.toString('utf8')
  return s.endsWith('\n') ? s.slice(0, -1) : s
}

/**
 * Wraps bytes in side-band-64k packets on `band` (1 data, 2 progress, 3 error), all in one buffer
 * (one copy of the data, however many packets).
 */
export function* sideBand(band: 1 | 2 | 3, data: Buffer, max = 65515): Generator<Buffer> {
  if (data.length === 0) return
  const step = max - 1
  const out = Buffer.allocUnsafe(data.length + Math.ceil(data.length / step) * 5)
  let at = 0
  for (let i = 0; i < data.length; i += step) {
    const n = Math.min(step, data.length - i)
    out.write((n + 5).toString(16).padStart(4, '0'), at, 'latin1')
    out[at + 4] = band
    data.copy(out, at + 5, i, i + n)
    at += n + 5
  }
  yield out
}
