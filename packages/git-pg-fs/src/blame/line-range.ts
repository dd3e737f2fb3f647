import { GitPgError } from '../errors.ts'

/** Lines as git counts them: a last line without its newline still counts. */
export function countLines(content: Buffer): number {
  let n = 0
  for (let i = content.indexOf(10); i >= 0; i = content.indexOf(10, i + 1)) n++
  return content.length > 0 && content[content.length - 1] !== 10 ? n + 1 : n
}

/** The 0-based first line and count of `-L start,end`, checked as git checks it. */
export function lineRange({
  path,
  lineCount,
  start,
  end,
}: {
  path: string
  lineCount: number
  start?: number
  end?: number
}): { first: number; count: number } {
  if (start !== undefined && end !== undefined && end < start) [start, end] = [end, start]
  const asked = start !== undefined || end !== undefined
  if (asked && (lineCount === 0 || lineCount < (start ?? 1)))
    throw new GitPgError('LINE_OUT_OF_RANGE', `file ${path} has only ${lineCount} lines`, {
      path,
      lineCount,
    })
  const bottom = Math.max(1, start ?? 1)
  const top = end === undefined || end > lineCount ? lineCount : end
  return { first: bottom - 1, count: Math.max(0, top - bottom + 1) }
}
