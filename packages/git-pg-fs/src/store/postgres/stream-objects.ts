import type pg from 'pg'
import copyStreams from 'pg-copy-streams'
import { TYPE_CODE, type GitObject, type ObjectType } from '../../objects/git-object.ts'
import type { Executor } from './database.ts'

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
 * Every object of a type in a repository as binary COPY rows (`oid`, `data`), in batches as they
 * come off the socket: no hex text to decode, and memory holds a socket read or two.
 */
export async function* copyObjectsOut(
  client: pg.PoolClient,
  { repoId, type, from, to }: ObjectsQuery,
): AsyncGenerator<GitObject[]> {
  if (!Number.isSafeInteger(repoId)) throw new TypeError(`bad repository id ${repoId}`)
  // COPY takes no parameters: the literals are an integer and hex digits
  const range = `${from.length > 0 ? `AND oid >= '\\x${from.toString('hex')}'::bytea` : ''}
       ${to ? `AND oid < '\\x${to.toString('hex')}'::bytea` : ''}`
  const stream = client.query(
    copyStreams.to(
      `COPY (SELECT oid, data FROM git_objects
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
): AsyncGenerator<GitObject[]> {
  let after = from
  let first = true
  for (;;) {
    const { rows } = await executor.query<{ oid: Buffer; data: Buffer }>(
      `SELECT oid, data FROM git_objects
       WHERE repo_id = $1 AND type = $2 AND (oid > $3 OR ($4 AND oid = $3)) AND ($5::bytea IS NULL OR oid < $5)
       ORDER BY oid LIMIT ${PAGE}`,
      [repoId, TYPE_CODE[type], after, first, to],
    )
    if (rows.length === 0) return
    yield rows.map((r) => ({ oid: r.oid.toString('hex'), type, content: r.data }))
    after = rows[rows.length - 1].oid
    first = false
  }
}

/** Splits PostgreSQL's binary COPY output (two bytea fields a row) into objects. */
class CopyRowParser {
  readonly #type: ObjectType
  #buf: Buffer = Buffer.alloc(0)
  #pos = 0
  #queued: Buffer[] = []
  #queuedBytes = 0
  /** bytes needed at #pos before parsing can progress */
  #need = 19
  #headerDone = false
  ended = false

  constructor(type: ObjectType) {
    this.#type = type
  }

  push(chunk: Buffer): GitObject[] {
    this.#queued.push(chunk)
    this.#queuedBytes += chunk.length
    if (this.#buf.length - this.#pos + this.#queuedBytes < this.#need) return []
    const rest = this.#buf.subarray(this.#pos)
    this.#buf =
      rest.length === 0 && this.#queued.length === 1
        ? this.#queued[0]
        : Buffer.concat([rest, ...this.#queued])
    this.#pos = 0
    this.#queued = []
    this.#queuedBytes = 0
    return this.#parse()
  }

  #parse(): GitObject[] {
    const out: GitObject[] = []
    const buf = this.#buf
    let pos = this.#pos
    if (!this.#headerDone) {
      if (buf.length < 19) return out
      const ext = buf.readUInt32BE(15)
      if (buf.length < 19 + ext) {
        this.#need = 19 + ext
        return out
      }
      pos = 19 + ext
      this.#headerDone = true
    }
    for (;;) {
      const left = buf.length - pos
      if (left < 2) {
        this.#need = 2
        break
      }
      const fields = buf.readInt16BE(pos)
      if (fields === -1) {
        this.ended = true
        pos += 2
        break
      }
      if (fields !== 2) throw new Error(`COPY row with ${fields} fields`)
      if (left < 30) {
        this.#need = 30
        break
      }
      const oidLength = buf.readInt32BE(pos + 2)
      if (oidLength !== 20) throw new Error(`object id of ${oidLength} bytes`)
      const dataLength = buf.readInt32BE(pos + 26)
      const rowLength = 30 + dataLength
      if (left < rowLength) {
        this.#need = rowLength
        break
      }
      out.push({
        oid: buf.toString('hex', pos + 6, pos + 26),
        type: this.#type,
        content: buf.subarray(pos + 30, pos + rowLength),
      })
      pos += rowLength
    }
    this.#pos = pos
    return out
  }
}
