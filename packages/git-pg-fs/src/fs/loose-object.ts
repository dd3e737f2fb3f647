import { deflateSync, inflateSync, constants } from 'node:zlib'
import { BadObjectError } from '../errors.ts'
import {
  hashObject,
  objectHeader,
  OBJECT_TYPES,
  type GitObject,
  type ObjectType,
} from '../objects/git-object.ts'

/**
 * The bytes of a loose object file: zlib-deflated `"<type> <size>\0" + content`. Stored blocks
 * (no compression): the bytes only travel in memory to an inflate in the same process.
 */
export function encodeLooseObject(object: GitObject): Buffer {
  const wrapped = Buffer.concat([objectHeader(object.type, object.content.length), object.content])
  return deflateSync(wrapped, { level: constants.Z_NO_COMPRESSION })
}

/** Parses a loose object file and checks that it hashes to `oid`. */
export function decodeLooseObject(data: Buffer, oid: string): GitObject {
  let wrapped: Buffer
  try {
    wrapped = inflateSync(data)
  } catch (err) {
    throw new BadObjectError(`loose object ${oid}: not zlib data (${(err as Error).message})`)
  }
  const nul = wrapped.indexOf(0)
  const header = nul === -1 ? '' : wrapped.toString('latin1', 0, nul)
  const match = /^([a-z]+) (\d+)$/.exec(header)
  if (!match || !OBJECT_TYPES.includes(match[1] as ObjectType)) {
    throw new BadObjectError(`loose object ${oid}: bad header ${JSON.stringify(header)}`)
  }
  const type = match[1] as ObjectType
  const content = wrapped.subarray(nul + 1)
  if (Number(match[2]) !== content.length) {
    throw new BadObjectError(
      `loose object ${oid}: header says ${match[2]} bytes, found ${content.length}`,
    )
  }
  const actual = hashObject(type, content)
  if (actual !== oid) throw new BadObjectError(`loose object ${oid}: content hashes to ${actual}`)
  return { oid, type, content }
}
