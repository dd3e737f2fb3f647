const NEWLINE = 0x0a

/**
 * Up to `count` lines before and after the line at bytes [`start`, `end`) of `content` (without
 * their newlines), as `git grep -C <count>` shows around one match.
 *
 * @example
 * contextLines({ content: Buffer.from('a\nb\nc'), start: 2, end: 3, count: 1 })
 * // { before: [<a>], after: [<c>] }
 */
export function contextLines({
  content,
  start,
  end,
  count,
}: {
  content: Buffer
  start: number
  end: number
  count: number
}): { before: Buffer[]; after: Buffer[] } {
  const before: Buffer[] = []
  let at = start
  while (before.length < count && at > 0) {
    const lineEnd = at - 1
    const lineStart = lineEnd === 0 ? 0 : content.lastIndexOf(NEWLINE, lineEnd - 1) + 1
    before.unshift(content.subarray(lineStart, lineEnd))
    at = lineStart
  }
  const after: Buffer[] = []
  at = end
  while (after.length < count && at < content.length - 1) {
    const lineStart = at + 1
    const nl = content.indexOf(NEWLINE, lineStart)
    const lineEnd = nl < 0 ? content.length : nl
    after.push(content.subarray(lineStart, lineEnd))
    at = lineEnd
  }
  return { before, after }
}
