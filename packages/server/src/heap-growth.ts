import { setFlagsFromString } from 'node:v8'

/**
 * Bounds how far V8 lets the heap grow past its live size before a full collection. On a machine
 * with memory to spare V8 allows up to 4× (its heap limit is a quarter of the machine's memory),
 * so a server whose requests each leave a few tens of MB of garbage (a listing of 30,000 files)
 * sat at twice the RSS it needed. V8 reads this flag at every collection, so it can be set
 * once the process runs; 0 leaves V8's own growth.
 *
 * @example
 * applyHeapGrowth(20) // a full collection once the heap is 1.2× what the last one left
 */
export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`)
}
