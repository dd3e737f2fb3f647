import { createHash } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { TYPE_CODE, type GitObject } from '../objects/git-object.ts'
import { entryHeader } from './pack-writer.ts'

/** Yields a version-2 packfile of `objects`, undeltified, piece by piece, ending with its sha1. */
export async function* writePackStream(
  objects: AsyncIterable<GitObject> | Iterable<GitObject>,
  count: number,
): AsyncGenerator<Buffer> {
  const hash = createHash('sha1')
  const emit = (b: Buffer) => {
    hash.update(b)
    return b
  }
  const header = Buffer.alloc(12)
  header.write('PACK', 0, 'latin1')
  header.writeUInt32BE(2, 4)
  header.writeUInt32BE(count, 8)
  yield emit(header)
  let n = 0
  for await (const o of objects) {
    n++
    yield emit(
      Buffer.concat([
        entryHeader(TYPE_CODE[o.type], o.content.length),
        deflateSync(o.content, { level: 1 }),
      ]),
    )
  }
  if (n !== count) throw new Error(`pack announced ${count} objects but got ${n}`)
  yield hash.digest()
}

/** A whole undeltified packfile of `objects`. */
export async function writePack(objects: readonly GitObject[]): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of writePackStream(objects, objects.length)) parts.push(part)
  return Buffer.concat(parts)
}
