import { randomBytes } from 'node:crypto'

/** Lines of both sides replaced by class numbers: equal lines, equal numbers. */
export interface LineClasses {
  /** class of each old line */
  old: Int32Array
  /** class of each new line */
  new: Int32Array
  /** how many old lines are in each class */
  oldCount: Int32Array
  /** how many new lines are in each class */
  newCount: Int32Array
  /**
   * work done: one per line and per hash collision, and one per `BYTES_PER_STEP` bytes hashed
   * or compared
   */
  steps: number
}

/** Bytes hashed or compared that count as one step of the diff budget. */
export const BYTES_PER_STEP = 16

// Seeds picked per process, so that nobody can prepare lines that collide.
const seeds = randomBytes(8)
const SEED1 = seeds.readInt32LE(0)
const SEED2 = seeds.readInt32LE(4)

/**
 * A 53-bit hash of a line's bytes (one character per byte): two FNV-1a lanes with different
 * primes. Engines hash long strings by their length alone, so a `Map` keyed by the lines would
 * degrade to comparing every long line with every other one of the same length.
 */
function hashLine(line: string): number {
  let h1 = SEED1
  let h2 = SEED2
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
  }
  h2 ^= h2 >>> 15
  return (h1 >>> 0) * 0x200000 + (h2 >>> 11)
}

/**
 * Numbers the distinct lines of both sides, as xdiff's classifier does, so the diff compares
 * integers instead of strings and counts how often each line occurs on each side. Lines are
 * bucketed by a hash of their bytes and compared byte for byte within a bucket, so the work is
 * linear in the bytes; `maxSteps` stops it, returning null, like the Myers pass's budget.
 */
export function classifyLines(
  oldLines: readonly string[],
  newLines: readonly string[],
  maxSteps = Infinity,
): LineClasses | null {
  /** first class of each hash; classes of one hash are chained through `next` */
  const buckets = new Map<number, number>()
  const reps: string[] = []
  const next: number[] = []
  let bytes = 0
  /** lines numbered, and classes of the same hash passed over */
  let lineCount = 0
  const steps = () => lineCount + Math.floor(bytes / BYTES_PER_STEP)
  const classify = (lines: readonly string[]): Int32Array | null => {
    const out = new Int32Array(lines.length)
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]
      const key = hashLine(line)
      bytes += line.length
      const first = buckets.get(key)
      let id = first ?? -1
      while (id !== -1) {
        if (reps[id].length === line.length) {
          bytes += line.length
          if (reps[id] === line) break
        }
        lineCount++
        id = next[id]
      }
      if (id === -1) {
        id = reps.length
        reps.push(line)
        next.push(first ?? -1)
        buckets.set(key, id)
      }
      out[i] = id
      lineCount++
      if (steps() > maxSteps) return null
    }
    return out
  }
  const oldIds = classify(oldLines)
  const newIds = oldIds && classify(newLines)
  if (!oldIds || !newIds) return null
  const oldCount = new Int32Array(reps.length)
  const newCount = new Int32Array(reps.length)
  for (const id of oldIds) oldCount[id]++
  for (const id of newIds) newCount[id]++
  return { old: oldIds, new: newIds, oldCount, newCount, steps: steps() }
}
