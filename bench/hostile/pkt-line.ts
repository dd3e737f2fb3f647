/** One pkt-line of `text` (four hex digits of length, then the text). */
export function pkt(text: string): Buffer {
  const body = Buffer.from(text, 'utf8')
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body])
}

export const FLUSH = Buffer.from('0000')
export const ZERO_OID = '0'.repeat(40)

/**
 * A smart HTTP receive-pack request body: one command (report-status, no side-band, so the
 * answer is plain pkt-lines), a flush, then the pack.
 */
export function receivePackBody({
  ref,
  commit,
  pack,
}: {
  ref: string
  commit: string
  pack: Buffer
}): Buffer {
  const command = pkt(`${ZERO_OID} ${commit} ${ref}\0report-status agent=gitpg-bench\n`)
  return Buffer.concat([command, FLUSH, pack])
}

/** The text lines of a pkt-line answer (flushes dropped), as far as `head` holds them. */
export function pktLines(head: Buffer): string[] {
  const lines: string[] = []
  for (let at = 0; at + 4 <= head.length;) {
    const len = parseInt(head.subarray(at, at + 4).toString('latin1'), 16)
    if (Number.isNaN(len)) break
    if (len < 4) {
      at += 4
      continue
    }
    lines.push(
      head
        .subarray(at + 4, at + len)
        .toString('utf8')
        .trimEnd(),
    )
    at += len
  }
  return lines
}
