import type { StoredRow } from './resolve-objects.ts'

/** A COPY row's bytes before its data: field count, oid, size, zlib and the data's length. */
const ROW_HEAD = 2 + (4 + 20) + (4 + 4) + (4 + 1) + 4

/** A stored row as COPY sent it: `data` is null where the query left it out (a large value). */
export type CopiedRow = Omit<StoredRow, 'data'> & {
  data: Buffer | null
  /** false where the row's `type` is NULL: the query found it but did not send its data */
  wanted: boolean
}

/**
 * Splits PostgreSQL's binary COPY output into stored rows, whose bytes point into the chunks as
 * they came: only a row that straddles two chunks is copied. A row is `oid, size, zlib, data,
 * base` (a bytea, an int4, a bool, a bytea or NULL, a bytea or NULL), and then `type` (an int2,
 * NULL for a row not wanted) when the parser is given no type for every row.
 *
 * @example
 * const parser = new CopyRowParser(null)
 * for await (const chunk of copyStream) rows.push(...parser.push(chunk))
 */
export class CopyRowParser {
  /** the type code of every row, or null: each row's last field */
  readonly #type: number | null
  /** the start of a row (or of the header) whose end is in chunks still to come */
  #rest: Buffer[] = []
  #restBytes = 0
  /** bytes needed from the start of `#rest` before parsing can progress */
  #need = 19
  #headerDone = false
  ended = false

  constructor(type: number | null) {
    this.#type = type
  }

  /** Parses what `chunk` completes; rows go into `out` (a new array by default), returned. */
  push(chunk: Buffer, out: CopiedRow[] = []): CopiedRow[] {
    let at = 0
    while (this.#restBytes > 0) {
      if (at === chunk.length) return out
      const take = Math.min(chunk.length - at, this.#need - this.#restBytes)
      this.#rest.push(chunk.subarray(at, at + take))
      this.#restBytes += take
      at += take
      if (this.#restBytes < this.#need) return out
      const head = Buffer.concat(this.#rest, this.#restBytes)
      this.#keep(head, this.#parse(head, 0, out))
    }
    this.#keep(chunk, this.#parse(chunk, at, out))
    return out
  }

  #keep(buf: Buffer, used: number) {
    this.#rest = used < buf.length ? [buf.subarray(used)] : []
    this.#restBytes = buf.length - used
  }

  /** Parses what is complete from `pos`; returns where it stopped and sets `#need`. */
  #parse(buf: Buffer, pos: number, out: CopiedRow[]): number {
    if (!this.#headerDone) {
      if (buf.length - pos < 19) {
        this.#need = 19
        return pos
      }
      const length = 19 + buf.readUInt32BE(pos + 15)
      if (buf.length - pos < length) {
        this.#need = length
        return pos
      }
      pos += length
      this.#headerDone = true
    }
    for (;;) {
      const left = buf.length - pos
      if (left < 2) {
        this.#need = 2
        return pos
      }
      const fields = buf.readInt16BE(pos)
      if (fields === -1) {
        this.ended = true
        return pos + 2
      }
      if (fields !== (this.#type === null ? 6 : 5))
        throw new Error(`COPY row with ${fields} fields`)
      if (left < ROW_HEAD) {
        this.#need = ROW_HEAD
        return pos
      }
      const oidLength = buf.readInt32BE(pos + 2)
      if (oidLength !== 20) throw new Error(`object id of ${oidLength} bytes`)
      const dataLength = buf.readInt32BE(pos + ROW_HEAD - 4)
      const dataBytes = Math.max(dataLength, 0)
      if (left < ROW_HEAD + dataBytes + 4) {
        this.#need = ROW_HEAD + dataBytes + 4
        return pos
      }
      const baseAt = pos + ROW_HEAD + dataBytes
      const baseLength = buf.readInt32BE(baseAt)
      const typeAt = baseAt + 4 + Math.max(baseLength, 0)
      let rowLength = typeAt - pos
      let typeLength = 0
      if (this.#type === null) {
        if (left < rowLength + 4) {
          this.#need = rowLength + 4
          return pos
        }
        typeLength = buf.readInt32BE(typeAt)
        rowLength += 4 + Math.max(typeLength, 0)
      }
      if (left < rowLength) {
        this.#need = rowLength
        return pos
      }
      out.push({
        oid: buf.subarray(pos + 6, pos + 26),
        type: this.#type ?? (typeLength < 0 ? -1 : buf.readInt16BE(typeAt + 4)),
        wanted: typeLength >= 0,
        size: buf.readInt32BE(pos + 30),
        zlib: buf[pos + 38] !== 0,
        data: dataLength < 0 ? null : buf.subarray(pos + ROW_HEAD, baseAt),
        base: baseLength < 0 ? null : buf.subarray(baseAt + 4, baseAt + 4 + baseLength),
      })
      pos += rowLength
    }
  }
}
