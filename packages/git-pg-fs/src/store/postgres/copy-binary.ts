import { TYPE_CODE, type GitObject } from '../../objects/git-object.ts'
import { storedForm } from './stored-form.ts'

/** PostgreSQL's binary COPY signature, flags (none) and header extension length (none). */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)])
/** A row's bytes besides its data: field count, and each field's length and value. */
const ROW_OVERHEAD = 2 + (4 + 4) + (4 + 20) + (4 + 2) + (4 + 4) + 4 + (4 + 20) + (4 + 2) + (4 + 1)

/** The columns `copyObjectRows` writes, in order. */
export const COPY_COLUMNS = 'repo_id, oid, type, size, data, base, depth, zlib'

/**
 * `git_objects` rows (`COPY_COLUMNS`) in PostgreSQL's binary COPY format, in their stored form
 * (see `storedForm`), written straight into batches of about `batchBytes` (one socket write per
 * row costs more than the COPY itself). Data larger than a batch goes out as it is, uncopied.
 *
 * @example
 * await pipeline(Readable.from(copyObjectRows(repoId, objects)), client.query(copyFrom(sql)))
 */
export async function* copyObjectRows(
  repoId: number,
  objects: Iterable<GitObject> | AsyncIterable<GitObject>,
  batchBytes = 256 * 1024,
): AsyncGenerator<Buffer> {
  let batch = Buffer.allocUnsafe(batchBytes)
  let at = HEADER.copy(batch)
  const flush = () => {
    const full = batch.subarray(0, at)
    batch = Buffer.allocUnsafe(batchBytes)
    at = 0
    return full
  }
  for await (const o of objects) {
    const { data, base, depth } = storedForm(o)
    const big = data.length > batchBytes / 2
    if (at + ROW_OVERHEAD + (big ? 0 : data.length) > batchBytes) yield flush()
    at = batch.writeInt16BE(8, at)
    at = batch.writeInt32BE(4, at)
    at = batch.writeInt32BE(repoId, at)
    at = batch.writeInt32BE(20, at)
    at += batch.write(o.oid, at, 20, 'hex')
    at = batch.writeInt32BE(2, at)
    at = batch.writeInt16BE(TYPE_CODE[o.type], at)
    at = batch.writeInt32BE(4, at)
    at = batch.writeInt32BE(o.content.length, at)
    at = batch.writeInt32BE(data.length, at)
    if (big) {
      yield flush()
      yield data
    } else at += data.copy(batch, at)
    if (at + ROW_OVERHEAD > batchBytes) yield flush()
    if (base === null) at = batch.writeInt32BE(-1, at)
    else {
      at = batch.writeInt32BE(20, at)
      at += batch.write(base, at, 20, 'hex')
    }
    at = batch.writeInt32BE(2, at)
    at = batch.writeInt16BE(depth, at)
    at = batch.writeInt32BE(1, at)
    at = batch.writeUInt8(1, at)
  }
  if (at + 2 > batchBytes) yield flush()
  at = batch.writeInt16BE(-1, at)
  yield batch.subarray(0, at)
}
