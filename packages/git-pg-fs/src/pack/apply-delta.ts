import { BadPackError } from '../errors.ts'

function readVarint(delta: Buffer, pos: { i: number }): number {
  let result = 0
  let shift = 0
  let byte: number
  do {
    if (pos.i >= delta.length) throw new BadPackError('truncated delta header')
    byte = delta[pos.i++]
    result += (byte & 0x7f) * 2 ** shift
    shift += 7
  } while (byte & 0x80)
  return result
}

/** Copies bytes: by hand when few (most of a tree delta's), where `Buffer.copy`'s call costs more. */
function copyBytes(from: Buffer, at: number, to: Buffer, into: number, length: number) {
  if (length < 64) for (let k = 0; k < length; k++) to[into + k] = from[at + k]
  else from.copy(to, into, at, at + length)
}

/** The size of the object a git delta builds (read from its header, before applying it). */
export function deltaTargetSize(delta: Buffer): number {
  const pos = { i: 0 }
  readVarint(delta, pos)
  return readVarint(delta, pos)
}

/** Applies a git delta (copy/insert instructions) to `base`. */
export function applyDelta(delta: Buffer, base: Buffer): Buffer {
  const pos = { i: 0 }
  const baseSize = readVarint(delta, pos)
  if (baseSize !== base.length) throw new BadPackError('delta base size mismatch')
  const size = readVarint(delta, pos)
  const out = Buffer.allocUnsafe(size)
  let o = 0
  while (pos.i < delta.length) {
    const op = delta[pos.i++]
    if (op & 0x80) {
      let offset = 0
      let length = 0
      for (let b = 0; b < 4; b++) if (op & (1 << b)) offset |= delta[pos.i++] << (8 * b)
      for (let b = 0; b < 3; b++) if (op & (1 << (4 + b))) length |= delta[pos.i++] << (8 * b)
      offset >>>= 0
      if (length === 0) length = 0x10000
      if (offset + length > base.length || o + length > size)
        throw new BadPackError('delta copy out of range')
      copyBytes(base, offset, out, o, length)
      o += length
    } else if (op > 0) {
      if (pos.i + op > delta.length || o + op > size)
        throw new BadPackError('delta insert out of range')
      copyBytes(delta, pos.i, out, o, op)
      pos.i += op
      o += op
    } else {
      throw new BadPackError('delta opcode 0 is reserved')
    }
  }
  if (o !== size) throw new BadPackError('delta result size mismatch')
  return out
}
