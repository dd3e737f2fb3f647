import type pg from 'pg'
import copyStreams from 'pg-copy-streams'
import { TYPE_CODE, type ObjectType } from '../../objects/git-object.ts'
import type { Executor } from './database.ts'
import type { StoredRow } from './resolve-objects.ts'

/** Rows per page when the server cannot COPY. */
const PAGE = 2000

export interface ObjectsQuery {
  repoId: number
  type: ObjectType
  /** ids from `from` (inclusive) to `to` (exclusive, none: to the end) */
  from: Buffer
  to: Buffer | null
}

/** The `part`-th of `parts` equal ranges of object ids, by their first byte. */
export function idRange(range?: { part: number; parts: number }): {
  from: Buffer
  to: Buffer | null
} {
  const { part = 0, parts = 1 } = range ?? {}
  if (!(Number.isInteger(parts) && parts >= 1 && parts <= 256 && part >= 0 && part < parts))
    throw new RangeError(`no part ${part} of ${parts}`)
  const bound = (i: number) => Buffer.from([Math.round((i * 256) / parts)])
  return {
    from: part === 0 ? Buffer.alloc(0) : bound(part),
    to: part === parts - 1 ? null : bound(part + 1),
  }
}

/**
 * Every stored row of a type in a repository as binary COPY rows (`oid`, `size`, `zlib`, `data`,
 * `base`), in batches as they come off the socket: no hex text to decode, and memory holds a
 * socket read or two.
 */
export async function* copyObjectsOut(
  client: pg.PoolClient,
  { repoId, type, from, to }: ObjectsQuery,
): AsyncGenerator<StoredRow[]> {
  if (!Number.isSafeInteger(repoId)) throw new TypeError(`bad repository id ${repoId}`)
  // COPY takes no parameters: the literals are an integer and hex digits
  const range = `${from.length > 0 ? `AND oid >= '\\x${from.toString('hex')}'::bytea` : ''}
       ${to ? `AND oid < '\\x${to.toString('hex')}'::bytea` : ''}`
  const stream = client.query(
    copyStreams.to(
      `COPY (SELECT oid, size, zlib, data, base FROM git_objects
       WHERE repo_id = ${repoId} AND type = ${TYPE_CODE[type]} ${range})
       TO STDOUT (FORMAT binary)`,
    ),
  )
  const rows = new CopyRowParser(type)
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const batch = rows.push(chunk)
    if (batch.length > 0) yield batch
  }
  if (!rows.ended) throw new Error('COPY ended before its trailer')
}

/** The same rows without COPY (the embedded database): pages in key order. */
export async function* pageObjects(
  executor: Executor,
  { repoId, type, from, to }: ObjectsQuery,
): AsyncGenerator<StoredRow[]> {
  let after = from
  let first = true
  for (;;) {
    const { rows } = await executor.query<StoredRow>(
      `SELECT oid, type, size, zlib, base, data FROM git_objects
       WHERE repo_id = $1 AND type = $2 AND (oid > $3 OR ($4 AND oid = $3)) AND ($5::bytea IS NULL OR oid < $5)
       ORDER BY oid LIMIT ${PAGE}`,
      [repoId, TYPE_CODE[type], after, first, to],
    )
    if (rows.length === 0) return
    yield rows
    after = rows[rows.length - 1].oid
    first = false
  }
}

/** A COPY row's bytes before its data: field count, oid, size, zlib and the data's length. */
const ROW_HEAD = 2 + (4 + 20) + (4 + 4) + (4 + 1) + 4

/**
 * Splits PostgreSQL's binary COPY output (five fields a row) into stored rows, whose bytes point
 * into the chunks as they came: only a row that straddles two chunks is copied.
 */
class CopyRowParser {
  readonly #type: number
  /** the start of a row (or of the header) whose end is in chunks still to come */
  #rest: Buffer[] = []
  #restBytes = 0
  /** bytes needed from the start of `#rest` before parsing can progress */
  #need = 19
  #headerDone = false
  ended = false

  constructor(type: ObjectType) {
    this.#type = TYPE_CODE[type]
  }

  push(chunk: Buffer): StoredRow[] {
    const out: StoredRow[] = []
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
  #parse(buf: Buffer, pos: number, out: StoredRow[]): number {
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
      if (fields !== 5) throw new Error(`COPY row with ${fields} fields`)
      if (left < ROW_HEAD) {
        this.#need = ROW_HEAD
        return pos
      }
      const oidLength = buf.readInt32BE(pos + 2)
      if (oidLength !== 20) throw new Error(`object id of ${oidLength} bytes`)
      const dataLength = buf.readInt32BE(pos + ROW_HEAD - 4)
      if (left < ROW_HEAD + dataLength + 4) {
        this.#need = ROW_HEAD + dataLength + 4
        return pos
      }
      const baseAt = pos + ROW_HEAD + dataLength
      const baseLength = buf.readInt32BE(baseAt)
      const rowLength = ROW_HEAD + dataLength + 4 + Math.max(baseLength, 0)
      if (left < rowLength) {
        this.#need = rowLength
        return pos
      }
      out.push({
        oid: buf.subarray(pos + 6, pos + 26),
        type: this.#type,
        size: buf.readInt32BE(pos + 30),
        zlib: buf[pos + 38] !== 0,
        data: buf.subarray(pos + ROW_HEAD, baseAt),
        base: baseLength < 0 ? null : buf.subarray(baseAt + 4, baseAt + 4 + baseLength),
      })
      pos += rowLength
    }
  }
}
