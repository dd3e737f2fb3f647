import { FLUSH, packetText, parsePktLines, pktLine } from '@gitpg/git-pg-fs'
import { SyncError } from '../errors.ts'
import type { PushCommand, PushReport } from './git-remote.ts'
import { sideBandData, type PacketStream } from './packet-stream.ts'

const ZERO_OID = '0'.repeat(40)

/** The command lines of a push: `<old> <new> <ref>`, capabilities after the first. */
export function pushCommands(commands: readonly PushCommand[], capabilities: readonly string[]) {
  const lines = commands.map((c, i) => {
    const line = `${c.oldOid ?? ZERO_OID} ${c.newOid ?? ZERO_OID} ${c.ref}`
    return pktLine(i === 0 ? `${line}\0${capabilities.join(' ')}\n` : `${line}\n`)
  })
  return Buffer.concat([...lines, FLUSH])
}

/** Parses report-status lines (`unpack ok`, `ok <ref>`, `ng <ref> <reason>`). */
function parseReport(lines: string[], commands: readonly PushCommand[], url: string): PushReport {
  const unpack = lines.find((l) => l.startsWith('unpack '))
  if (!unpack) throw new SyncError('REMOTE_PROTOCOL_ERROR', `${url}: no report from the remote`)
  if (unpack !== 'unpack ok')
    throw new SyncError(
      'REMOTE_REJECTED',
      `${url}: the remote could not unpack: ${unpack.slice(7)}`,
      {
        url,
      },
    )
  const refs: PushReport['refs'] = []
  for (const line of lines) {
    const ok = /^ok (\S+)/.exec(line)
    const ng = /^ng (\S+) (.*)$/.exec(line)
    if (ok) refs.push({ ref: ok[1], error: null })
    else if (ng) refs.push({ ref: ng[1], error: ng[2] })
  }
  for (const c of commands)
    if (!refs.some((r) => r.ref === c.ref))
      throw new SyncError('REMOTE_PROTOCOL_ERROR', `${url}: no status for ${c.ref}`, { url })
  return { refs }
}

/** Reads the answer to a push: report-status, inside side-band-64k when `sideBand`. */
export async function readPushResponse(
  stream: PacketStream,
  commands: readonly PushCommand[],
  { sideBand, onMessage }: { sideBand: boolean; onMessage?: (line: string) => void },
): Promise<PushReport> {
  const lines: string[] = []
  if (sideBand) {
    let pending: Buffer = Buffer.alloc(0)
    for await (const chunk of sideBandData(stream, { onMessage })) {
      pending = Buffer.concat([pending, chunk])
      const { packets, rest } = parsePktLines(pending)
      pending = rest
      for (const p of packets) if (p !== 'flush') lines.push(packetText(p))
    }
    if (pending.length > 0) throw stream.error('truncated status report')
  } else {
    for (;;) {
      const p = await stream.require('the status report')
      if (p === 'flush') break
      lines.push(packetText(p))
    }
  }
  return parseReport(lines, commands, stream.url)
}
