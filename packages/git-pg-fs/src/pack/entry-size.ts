import { ObjectTooLargeError } from '../errors.ts'
import { deltaTargetSize } from './apply-delta.ts'
import { OFS_DELTA, REF_DELTA, type RawEntry } from './pack-entry.ts'

/** A delta's instructions take a little more than what they insert: room for that. */
const DELTA_SLACK = 1024

/**
 * Refuses a pack entry whose header declares more than `limit` bytes, before it is inflated: a
 * whole object by its size, a delta by its own size (a delta's instructions are never much
 * larger than the object they build).
 */
export function checkEntrySize(entry: RawEntry, limit: number): void {
  const delta = entry.code === OFS_DELTA || entry.code === REF_DELTA
  if (entry.size > (delta ? limit + limit / 64 + DELTA_SLACK : limit))
    throw new ObjectTooLargeError({ oid: null, size: entry.size, limit })
}

/** Refuses a delta that builds an object of more than `limit` bytes, before it is applied. */
export function checkDeltaSize(delta: Buffer, limit: number): void {
  if (limit === Infinity) return
  const size = deltaTargetSize(delta)
  if (size > limit) throw new ObjectTooLargeError({ oid: null, size, limit })
}
