/** Bytes as git and the issue tracker speak of them: `1 GiB`, `500 MiB`, `100 KiB`, `312 B`. */
export function sizeText(bytes: number): string {
  for (const [unit, n] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const)
    if (bytes >= n) return `${+(bytes / n).toFixed(1)} ${unit}`
  return `${bytes} B`
}

/** A count with thousands separators: `10,000,000`. */
export const countText = (n: number) => n.toLocaleString('en-US')

/** The case's time limit: `full` ms at scale 1, never under 30 s. */
export const timeLimit = (scale: number, full: number) => Math.max(30_000, Math.round(full * scale))
