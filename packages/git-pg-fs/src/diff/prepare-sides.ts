import type { LineClasses } from './classify-lines.ts'

/** One side of a diff as the line diff works on it. */
export interface DiffSide {
  /** class of each line */
  ha: Int32Array
  /** `changed[i + 1]` is 1 when line `i` is changed; `changed[0]` and `changed[n + 1]` stay 0 */
  changed: Uint8Array
  /** the lines the Myers pass compares (the others are already decided) */
  rindex: Int32Array
  /** the classes of those lines */
  reduced: Int32Array
}

const MAX_EQLIMIT = 1024
const SIMSCAN_WINDOW = 100
const KPDIS_RUN = 4

/** xdiff's integer square root approximation (a power of two). */
export function bogosqrt(n: number): number {
  let i = 1
  for (; n > 0; n = Math.floor(n / 4)) i *= 2
  return i
}

/**
 * Whether a line matching many lines on the other side sits in a run of lines that match
 * nothing, so that dropping it from the Myers pass costs nothing (xdiff's `xdl_clean_mmatch`).
 */
function cleanMultimatch(dis: Uint8Array, i: number, s: number, e: number): boolean {
  if (i - s > SIMSCAN_WINDOW) s = i - SIMSCAN_WINDOW
  if (e - i > SIMSCAN_WINDOW) e = i + SIMSCAN_WINDOW
  let rdis0 = 0
  let rpdis0 = 1
  for (let r = 1; i - r >= s; r++) {
    if (dis[i - r] === 0) rdis0++
    else if (dis[i - r] === 2) rpdis0++
    else break
  }
  if (rdis0 === 0) return false
  let rdis1 = 0
  let rpdis1 = 1
  for (let r = 1; i + r <= e; r++) {
    if (dis[i + r] === 0) rdis1++
    else if (dis[i + r] === 2) rpdis1++
    else break
  }
  if (rdis1 === 0) return false
  rdis1 += rdis0
  rpdis1 += rpdis0
  return rpdis1 * KPDIS_RUN < rpdis1 + rdis1
}

function reduce({
  ha,
  otherCount,
  start,
  end,
}: {
  ha: Int32Array
  otherCount: Int32Array
  start: number
  end: number
}): DiffSide {
  const n = ha.length
  const mlim = Math.min(bogosqrt(n), MAX_EQLIMIT)
  const dis = new Uint8Array(n + 1)
  for (let i = start; i <= end; i++) {
    const nm = otherCount[ha[i]]
    dis[i] = nm === 0 ? 0 : nm >= mlim ? 2 : 1
  }
  const changed = new Uint8Array(n + 2)
  const rindex = new Int32Array(Math.max(0, end - start + 1))
  const reduced = new Int32Array(rindex.length)
  let nreff = 0
  for (let i = start; i <= end; i++) {
    if (dis[i] === 1 || (dis[i] === 2 && !cleanMultimatch(dis, i, start, end))) {
      rindex[nreff] = i
      reduced[nreff] = ha[i]
      nreff++
    } else changed[i + 1] = 1
  }
  return { ha, changed, rindex: rindex.subarray(0, nreff), reduced: reduced.subarray(0, nreff) }
}

/**
 * xdiff's preparation: the common head and tail are left out, lines with no match on the other
 * side are marked changed at once, and lines with many matches inside runs of such lines too.
 */
export function prepareSides(classes: LineClasses): { a: DiffSide; b: DiffSide } {
  const n1 = classes.old.length
  const n2 = classes.new.length
  const lim = Math.min(n1, n2)
  let head = 0
  while (head < lim && classes.old[head] === classes.new[head]) head++
  let tail = 0
  while (tail < lim - head && classes.old[n1 - 1 - tail] === classes.new[n2 - 1 - tail]) tail++
  return {
    a: reduce({ ha: classes.old, otherCount: classes.newCount, start: head, end: n1 - tail - 1 }),
    b: reduce({ ha: classes.new, otherCount: classes.oldCount, start: head, end: n2 - tail - 1 }),
  }
}
