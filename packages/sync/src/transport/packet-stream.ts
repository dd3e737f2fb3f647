import { GitPgError, packetText, readPktLines, type Packet } from '@gitpg/git-pg-fs'
import { SyncError } from '../errors.ts'

/**
 * Reads a remote's pkt-line answer one packet at a time. A malformed or truncated stream is a
 * `REMOTE_PROTOCOL_ERROR`; the end of the stream reads as `null`.
 */
export class PacketStream {
  readonly url: string
  #packets: AsyncIterator<Packet>

  constructor(body: AsyncIterable<Uint8Array>, url: string) {
    this.url = url
    this.#packets = readPktLines(body)[Symbol.asyncIterator]()
  }

  async next(): Promise<Packet | null> {
    try {
      const r = await this.#packets.next()
      return r.done ? null : r.value
    } catch (err) {
      if (err instanceof SyncError) throw err
      if (err instanceof GitPgError)
        throw this.error(`malformed answer: ${err.message}`, { cause: err })
      throw err
    }
  }

  /** The next packet, which must be there: the end of the stream here means it was cut. */
  async require(what: string): Promise<Packet> {
    const p = await this.next()
    if (p === null) throw this.error(`the answer ended early (expected ${what})`)
    return p
  }

  error(message: string, options?: { cause?: unknown }): SyncError {
    return new SyncError(
      'REMOTE_PROTOCOL_ERROR',
      `${this.url}: ${message}`,
      { url: this.url },
      options,
    )
  }
}

/** A remote's `ERR <message>` packet as an error, or null if `p` is not one. */
export function errPacket(p: Packet, url: string): SyncError | null {
  const text = packetText(p)
  if (!text.startsWith('ERR ')) return null
  return new SyncError('REMOTE_REJECTED', `${url}: ${text.slice(4)}`, { url })
}

/**
 * Demultiplexes side-band-64k packets up to the flush: band 1 is yielded, band 2 (progress)
 * goes to `onMessage`, band 3 is the remote's fatal error. `first` is a packet already read.
 */
export async function* sideBandData(
  stream: PacketStream,
  { first, onMessage }: { first?: Packet; onMessage?: (line: string) => void },
): AsyncGenerator<Buffer> {
  let p: Packet | null = first ?? (await stream.require('pack data'))
  let partial = ''
  while (p !== 'flush') {
    if (p === null) throw stream.error('the pack stream was cut off before its end')
    if (!Buffer.isBuffer(p) || p.length === 0) throw stream.error('unexpected packet in pack data')
    const band = p[0]
    if (band === 1) yield p.subarray(1)
    else if (band === 2) {
      if (onMessage) {
        partial += p.toString('utf8', 1)
        const parts = partial.split(/[\r\n]/)
        partial = parts.pop() ?? ''
        for (const line of parts) if (line.trim()) onMessage(line.trim())
      }
    } else if (band === 3) {
      throw new SyncError('REMOTE_REJECTED', `${stream.url}: ${p.toString('utf8', 1).trim()}`, {
        url: stream.url,
      })
    } else {
      const err = errPacket(p, stream.url)
      throw err ?? stream.error(`unknown side-band ${band}`)
    }
    p = await stream.next()
  }
}
