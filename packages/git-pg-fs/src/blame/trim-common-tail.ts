const BLOCK = 1024

/**
 * How many bytes git leaves out of the end of both sides before a diff without context lines
 * (xdiff-interface's `trim_common_tail`, which `git blame` goes through): whole 1 KiB blocks
 * equal on both sides, given back up to the end of the line the cut falls in. The diff then
 * sees fewer lines, which can change how it places ambiguous hunks, so blame must cut the same.
 *
 * @example
 * const cut = trimCommonTail(parent, target)
 * diff(parent.subarray(0, parent.length - cut), target.subarray(0, target.length - cut))
 */
export function trimCommonTail(a: Buffer, b: Buffer): number {
  const smaller = Math.min(a.length, b.length)
  let trimmed = 0
  while (
    BLOCK + trimmed <= smaller &&
    a.compare(
      b,
      b.length - trimmed - BLOCK,
      b.length - trimmed,
      a.length - trimmed - BLOCK,
      a.length - trimmed,
    ) === 0
  )
    trimmed += BLOCK
  const cut = a.length - trimmed
  let recovered = 0
  while (recovered < trimmed) if (a[cut + recovered++] === 0x0a) break
  return trimmed - recovered
}
