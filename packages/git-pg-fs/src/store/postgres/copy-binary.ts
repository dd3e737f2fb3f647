/** Encodes rows in PostgreSQL's binary COPY format (no OIDs, no extensions). */
export type CopyField = { int2: number } | { int4: number } | { bytes: Buffer }

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')

export function copyHeader(): Buffer {
  const header = Buffer.alloc(SIGNATURE.length + 8)
  SIGNATURE.copy(header)
  return header
}

export function copyTrailer(): Buffer {
  const b = Buffer.alloc(2)
  b.writeInt16BE(-1)
  return b
}

export function copyRow(fields: readonly CopyField[]): Buffer[] {
  const head = Buffer.alloc(2)
  head.writeInt16BE(fields.length)
  const out: Buffer[] = [head]
  for (const f of fields) {
    if ('int2' in f) {
      const b = Buffer.alloc(6)
      b.writeInt32BE(2)
      b.writeInt16BE(f.int2, 4)
      out.push(b)
    } else if ('int4' in f) {
      const b = Buffer.alloc(8)
      b.writeInt32BE(4)
      b.writeInt32BE(f.int4, 4)
      out.push(b)
    } else {
      const len = Buffer.alloc(4)
      len.writeInt32BE(f.bytes.length)
      out.push(len, f.bytes)
    }
  }
  return out
}
