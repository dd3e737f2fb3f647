import { deflateSync } from 'node:zlib'
import { createDelta } from '../pack/create-delta.ts'

/** A delta is kept only when its zlib bytes are less than this share of the stored bytes. */
export const DELTA_GAIN = 0.75
/** A delta this small (a share of the target's size) ends the search: no base does much better. */
const GOOD_ENOUGH = 1 / 64

/**
 * The base among `bases` (in the order given: the first wins a tie) whose delta makes `target`
 * in the fewest zlib bytes, under `DELTA_GAIN` of `stored`; null when none does. The search stops
 * at a delta of under 1/64 of the target: the rest of the window would save a few bytes for ten
 * times the CPU. `fits` says whether a base may be used at all (depth bound, cycles).
 *
 * @example
 * const best = await bestDelta({ target, stored, bases: [newer], contents, fits: () => true })
 */
export async function bestDelta({
  target,
  stored,
  bases,
  contents,
  fits,
  pace = async () => {},
}: {
  target: Buffer
  stored: number
  bases: readonly string[]
  contents: ReadonlyMap<string, Buffer>
  fits: (base: string) => boolean
  /** called before each delta computed: a background run gives the event loop a turn there */
  pace?: () => Promise<void>
}): Promise<{ base: string; data: Buffer } | null> {
  let best: { base: string; data: Buffer } | null = null
  let limit = Math.floor(stored * DELTA_GAIN)
  for (const base of bases) {
    const from = contents.get(base)
    if (!from || !fits(base)) continue
    await pace()
    const delta = createDelta(from, target)
    if (!delta) continue
    const data = deflateSync(delta)
    if (data.length >= limit) continue
    best = { base, data }
    limit = data.length
    if (data.length <= target.length * GOOD_ENOUGH) break
  }
  return best
}
