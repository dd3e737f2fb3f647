import { bogosqrt, type DiffSide } from './prepare-sides.ts'

const MAX_COST_MIN = 256
const HEUR_MIN_COST = 256
const SNAKE_CNT = 20
const K_HEUR = 4
const LINE_MAX = 0x7fffffff

interface Split {
  i1: number
  i2: number
  minLo: boolean
  minHi: boolean
}

/** Work counter of one diff: diagonals visited plus snake steps taken. */
export interface DiffCost {
  /** work of the Myers pass */
  steps: number
  /** work of numbering the lines: one per line, one per 16 bytes hashed or compared */
  classifySteps?: number
}

/** Thrown inside the Myers pass when it has used up its budget of steps. */
export class OverBudget extends Error {
  constructor() {
    super('line diff over its budget of steps')
    this.name = 'OverBudget'
  }
}

interface Env {
  h1: Int32Array
  h2: Int32Array
  kv: Int32Array
  /** where diagonal 0 of the forward vector sits in `kv` */
  f: number
  /** where diagonal 0 of the backward vector sits in `kv` */
  b: number
  mxcost: number
  cost: DiffCost
  maxSteps: number
}

/**
 * The middle snake of the box (off1, off2)-(lim1, lim2), Myers' linear-space divide step, with
 * xdiff's cut-offs: past `HEUR_MIN_COST` a long enough snake far along its diagonal is taken,
 * and past `mxcost` the furthest-reaching point is, giving a split that may not be minimal.
 */
function split(
  env: Env,
  off1: number,
  lim1: number,
  off2: number,
  lim2: number,
  needMin: boolean,
): Split {
  const { h1, h2, kv, f, b, mxcost, cost, maxSteps } = env
  const dmin = off1 - lim2
  const dmax = lim1 - off2
  const fmid = off1 - off2
  const bmid = lim1 - lim2
  const odd = ((fmid - bmid) & 1) !== 0
  let fmin = fmid
  let fmax = fmid
  let bmin = bmid
  let bmax = bmid
  kv[f + fmid] = off1
  kv[b + bmid] = lim1
  let steps = 0
  for (let ec = 1; ; ec++) {
    cost.steps += steps
    steps = 0
    if (cost.steps > maxSteps) throw new OverBudget()
    let gotSnake = false
    if (fmin > dmin) kv[f + --fmin - 1] = -1
    else ++fmin
    if (fmax < dmax) kv[f + ++fmax + 1] = -1
    else --fmax
    for (let d = fmax; d >= fmin; d -= 2) {
      let i1 = kv[f + d - 1] >= kv[f + d + 1] ? kv[f + d - 1] + 1 : kv[f + d + 1]
      const prev1 = i1
      let i2 = i1 - d
      while (i1 < lim1 && i2 < lim2 && h1[i1] === h2[i2]) {
        i1++
        i2++
      }
      steps += 1 + i1 - prev1
      if (i1 - prev1 > SNAKE_CNT) gotSnake = true
      kv[f + d] = i1
      if (odd && bmin <= d && d <= bmax && kv[b + d] <= i1) {
        cost.steps += steps
        return { i1, i2, minLo: true, minHi: true }
      }
    }
    if (bmin > dmin) kv[b + --bmin - 1] = LINE_MAX
    else ++bmin
    if (bmax < dmax) kv[b + ++bmax + 1] = LINE_MAX
    else --bmax
    for (let d = bmax; d >= bmin; d -= 2) {
      let i1 = kv[b + d - 1] < kv[b + d + 1] ? kv[b + d - 1] : kv[b + d + 1] - 1
      const prev1 = i1
      let i2 = i1 - d
      while (i1 > off1 && i2 > off2 && h1[i1 - 1] === h2[i2 - 1]) {
        i1--
        i2--
      }
      steps += 1 + prev1 - i1
      if (prev1 - i1 > SNAKE_CNT) gotSnake = true
      kv[b + d] = i1
      if (!odd && fmin <= d && d <= fmax && i1 <= kv[f + d]) {
        cost.steps += steps
        return { i1, i2, minLo: true, minHi: true }
      }
    }
    if (needMin) continue
    cost.steps += steps
    steps = 0
    if (gotSnake && ec > HEUR_MIN_COST) {
      const found = snakeHeuristic(env, { off1, lim1, off2, lim2, fmin, fmax, bmin, bmax, ec })
      if (found) return found
    }
    if (ec >= mxcost) return furthest(env, { off1, lim1, off2, lim2, fmin, fmax, bmin, bmax })
  }
}

interface Box {
  off1: number
  lim1: number
  off2: number
  lim2: number
  fmin: number
  fmax: number
  bmin: number
  bmax: number
}

/** A diagonal far from the corner that ends in a snake of `SNAKE_CNT` lines, if any. */
function snakeHeuristic(env: Env, box: Box & { ec: number }): Split | null {
  const { h1, h2, kv, f, b } = env
  const { off1, lim1, off2, lim2, ec } = box
  const fmid = off1 - off2
  const bmid = lim1 - lim2
  let best = 0
  let found: Split | null = null
  for (let d = box.fmax; d >= box.fmin; d -= 2) {
    const dd = d > fmid ? d - fmid : fmid - d
    const i1 = kv[f + d]
    const i2 = i1 - d
    const v = i1 - off1 + (i2 - off2) - dd
    if (
      v > K_HEUR * ec &&
      v > best &&
      off1 + SNAKE_CNT <= i1 &&
      i1 < lim1 &&
      off2 + SNAKE_CNT <= i2 &&
      i2 < lim2
    ) {
      for (let k = 1; h1[i1 - k] === h2[i2 - k]; k++) {
        if (k === SNAKE_CNT) {
          best = v
          found = { i1, i2, minLo: true, minHi: false }
          break
        }
      }
    }
  }
  if (found) return found
  best = 0
  for (let d = box.bmax; d >= box.bmin; d -= 2) {
    const dd = d > bmid ? d - bmid : bmid - d
    const i1 = kv[b + d]
    const i2 = i1 - d
    const v = lim1 - i1 + (lim2 - i2) - dd
    if (
      v > K_HEUR * ec &&
      v > best &&
      off1 < i1 &&
      i1 <= lim1 - SNAKE_CNT &&
      off2 < i2 &&
      i2 <= lim2 - SNAKE_CNT
    ) {
      for (let k = 0; h1[i1 + k] === h2[i2 + k]; k++) {
        if (k === SNAKE_CNT - 1) {
          best = v
          found = { i1, i2, minLo: false, minHi: true }
          break
        }
      }
    }
  }
  return found
}

/** Too costly: the point furthest along either path, measured by i1 + i2. */
function furthest(env: Env, box: Box): Split {
  const { kv, f, b } = env
  const { off1, lim1, off2, lim2 } = box
  let fbest = -1
  let fbest1 = -1
  for (let d = box.fmax; d >= box.fmin; d -= 2) {
    let i1 = Math.min(kv[f + d], lim1)
    let i2 = i1 - d
    if (lim2 < i2) {
      i1 = lim2 + d
      i2 = lim2
    }
    if (fbest < i1 + i2) {
      fbest = i1 + i2
      fbest1 = i1
    }
  }
  let bbest = LINE_MAX
  let bbest1 = LINE_MAX
  for (let d = box.bmax; d >= box.bmin; d -= 2) {
    let i1 = Math.max(off1, kv[b + d])
    let i2 = i1 - d
    if (i2 < off2) {
      i1 = off2 + d
      i2 = off2
    }
    if (i1 + i2 < bbest) {
      bbest = i1 + i2
      bbest1 = i1
    }
  }
  return lim1 + lim2 - bbest < fbest - (off1 + off2)
    ? { i1: fbest1, i2: fbest - fbest1, minLo: true, minHi: false }
    : { i1: bbest1, i2: bbest - bbest1, minLo: false, minHi: true }
}

/**
 * Marks the changed lines of the lines `prepareSides` left to compare, by divide and conquer
 * on the middle snake (xdiff's `xdl_recs_cmp`), with an explicit stack instead of recursion so
 * that no input can exhaust the call stack. Throws `OverBudget` once `cost.steps` passes
 * `maxSteps`.
 */
export function markChanges({
  a,
  b,
  minimal = false,
  cost,
  maxSteps = Infinity,
}: {
  a: DiffSide
  b: DiffSide
  minimal?: boolean
  cost: DiffCost
  maxSteps?: number
}): void {
  const n1 = a.reduced.length
  const n2 = b.reduced.length
  const ndiags = n1 + n2 + 3
  const env: Env = {
    h1: a.reduced,
    h2: b.reduced,
    kv: new Int32Array(2 * ndiags + 2),
    f: n2 + 1,
    b: ndiags + n2 + 1,
    mxcost: Math.max(bogosqrt(ndiags), MAX_COST_MIN),
    cost,
    maxSteps,
  }
  const { h1, h2 } = env
  const stack: number[] = [0, n1, 0, n2, minimal ? 1 : 0]
  while (stack.length > 0) {
    const needMin = stack.pop() === 1
    let lim2 = stack.pop()!
    let off2 = stack.pop()!
    let lim1 = stack.pop()!
    let off1 = stack.pop()!
    while (off1 < lim1 && off2 < lim2 && h1[off1] === h2[off2]) {
      off1++
      off2++
    }
    while (off1 < lim1 && off2 < lim2 && h1[lim1 - 1] === h2[lim2 - 1]) {
      lim1--
      lim2--
    }
    if (off1 === lim1) {
      for (; off2 < lim2; off2++) b.changed[b.rindex[off2] + 1] = 1
    } else if (off2 === lim2) {
      for (; off1 < lim1; off1++) a.changed[a.rindex[off1] + 1] = 1
    } else {
      const s = split(env, off1, lim1, off2, lim2, needMin)
      stack.push(s.i1, lim1, s.i2, lim2, s.minHi ? 1 : 0)
      stack.push(off1, s.i1, off2, s.i2, s.minLo ? 1 : 0)
    }
  }
}
