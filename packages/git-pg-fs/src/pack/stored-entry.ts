import type { StoredObject } from '../store/git-store.ts'
import { TYPE_CODE } from '../objects/git-object.ts'
import { inflatedSize } from './pack-entry.ts'
import type { PackWriter } from './pack-writer.ts'
import type { SentOffsets } from './sent-offsets.ts'

/**
 * Adds a stored object to `pack` as it is stored: whole, or as a delta on its base, by offset
 * when the base is already in the pack (`offsets`) and `ofsDelta`, else by the base's id (the
 * caller makes sure the base goes in the same pack). Records where the object starts in
 * `offsets`; returns the chunks the pack filled. Only a delta's zlib bytes are inflated, for the
 * size its entry header states.
 *
 * @example
 * for (const o of batch) for (const chunk of addStored({ pack, o, offsets, ofsDelta })) yield chunk
 */
export function addStored({
  pack,
  o,
  offsets,
  ofsDelta,
}: {
  pack: PackWriter
  o: StoredObject
  /** where each object sent so far starts in the pack */
  offsets: SentOffsets
  ofsDelta: boolean
}): Buffer[] {
  const { base, data } = o.packed
  const at = pack.offset
  let chunks: Buffer[]
  if (base === null) chunks = pack.addStored({ type: TYPE_CODE[o.type], size: o.size, zlib: data })
  else {
    const baseAt = offsets.get(base)
    chunks = pack.addStored({
      type: 0,
      base: ofsDelta && baseAt !== undefined ? baseAt : Buffer.from(base, 'hex'),
      size: inflatedSize(data),
      zlib: data,
    })
  }
  offsets.set(o.oid, at)
  return chunks
}
