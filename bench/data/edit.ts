import type { Prng } from './prng.ts'

/** Lines of real text to splice into files when the history edits them. */
export class DonorLines {
  #lines: string[]

  constructor(texts: readonly Buffer[]) {
    this.#lines = texts
      .flatMap((t) => t.toString('latin1').split('\n'))
      .filter((l) => l.length < 200)
  }

  take(rng: Prng, count: number): string[] {
    const start = rng.int(Math.max(1, this.#lines.length - count))
    return this.#lines.slice(start, start + count)
  }
}

/**
 * One realistic edit of a text file: one to three hunks that insert, delete or change lines.
 * Works on bytes through latin1, so any encoding survives untouched outside the hunks.
 */
export function editContent({
  content,
  rng,
  donors,
}: {
  content: Buffer
  rng: Prng
  donors: DonorLines
}): Buffer {
  const lines = content.toString('latin1').split('\n')
  const hunks = rng.range(1, 3)
  for (let h = 0; h < hunks; h++) {
    const at = rng.int(lines.length + 1)
    const op = rng.int(3)
    if (op === 0 || lines.length < 4) {
      lines.splice(at, 0, ...donors.take(rng, rng.range(1, 8)))
    } else if (op === 1) {
      lines.splice(Math.min(at, lines.length - 1), rng.range(1, 4))
    } else {
      const line = Math.min(at, lines.length - 1)
      lines.splice(line, 1, ...donors.take(rng, rng.range(1, 2)))
    }
  }
  const next = Buffer.from(lines.join('\n'), 'latin1')
  // an edit that changes nothing is not an edit: append a line instead
  return next.equals(content) ? Buffer.concat([content, Buffer.from('\n// touched\n')]) : next
}
