import { deflateSync } from 'node:zlib'
import { createDelta } from '../pack/create-delta.ts'

/** A delta is kept only when its zlib bytes are less than this share of the stored bytes. */
export const DELTA_GAIN = 0.75

/**
 * The base among `bases` (in the order given: the first wins a tie) whose delta makes `target`
 * in the fewest zlib bytes, under `DELTA_GAIN` of `stored`; null when none does. `fits` says
 * whether a base may be used at all (depth bound, cycles).
 *
 * @example
 * const best = bestDelta({ target, stored, bases: [newer], contents, fits: () => true })
 */
export function bestDelta({
  target,
  stored,
  bases,
  contents,
  fits,
}: {
  target: Buffer
  stored: number
  bases: readonly string[]
  contents: ReadonlyMap<string, Buffer>
  fits: (base: string) => boolean
}): { base: string; data: Buffer } | null {
  let best: { base: string; data: Buffer } | null = null
  let limit = Math.floor(stored * DELTA_GAIN)
  for (const base of bases) {
    const from = contents.get(base)
    if (!from || !fits(base)) continue
    const delta = createDelta(from, target)
    if (!delta) continue
    const data = deflateSync(delta)
    if (data.length >= limit) continue
    best = { base, data }
    limit = data.length
  }
  return best
}
