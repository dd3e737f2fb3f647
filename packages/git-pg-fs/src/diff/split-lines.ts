/**
 * Splits content into lines as xdiff sees them: each line keeps its `\n` (and a `\r` before it),
 * and a last line without one is its own record. Bytes are read as latin1, one character per
 * byte, so any content survives and compares byte for byte.
 *
 * @example
 * splitLines(Buffer.from('a\r\nb')) // ['a\r\n', 'b']
 */
export function splitLines(content: Buffer | string): string[] {
  const text = typeof content === 'string' ? content : content.toString('latin1')
  const lines: string[] = []
  let start = 0
  for (;;) {
    const nl = text.indexOf('\n', start)
    if (nl === -1) break
    lines.push(text.slice(start, nl + 1))
    start = nl + 1
  }
  if (start < text.length) lines.push(text.slice(start))
  return lines
}
