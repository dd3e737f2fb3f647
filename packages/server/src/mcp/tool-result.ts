import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { ApiCallError } from './api-caller.ts'

/** A tool's answer: text sized for a model's context. */
export const textResult = (text: string): CallToolResult => ({
  content: [{ type: 'text', text }],
})

/** An error as a tool error (`isError`), led by the API's code so an agent can act on it. */
export function errorResult(err: unknown): CallToolResult {
  if (err instanceof ApiCallError)
    return {
      isError: true,
      content: [{ type: 'text', text: `${err.code} (HTTP ${err.status}): ${err.message}` }],
    }
  throw err
}

/**
 * Lines up to `maxChars` characters; past it, the lines left out are dropped and `more(n)` (the
 * message saying how to get the rest) is appended. Returns the text and how many lines fit.
 *
 * @example
 * fitLines({ lines, maxChars: 40_000, more: (shown) => `call again with offset=${shown}` })
 */
export function fitLines({
  lines,
  maxChars,
  more,
}: {
  lines: readonly string[]
  maxChars: number
  more: (shown: number) => string
}): { text: string; shown: number } {
  let size = 0
  let shown = 0
  for (const line of lines) {
    if (size + line.length + 1 > maxChars) break
    size += line.length + 1
    shown++
  }
  // one line longer than the budget is cut rather than never shown
  const cut = shown === 0 && lines.length > 0 ? [`${lines[0].slice(0, maxChars)}…`] : []
  if (cut.length > 0) shown = 1
  const body = (cut.length > 0 ? cut : lines.slice(0, shown)).join('\n')
  if (shown === lines.length) return { text: body, shown }
  return { text: `${body}\n\n[truncated: ${more(shown)}]`, shown }
}

/**
 * The page of `text` from character `start`: up to `maxChars`, ended after a newline when one is
 * in it, and a last line saying which cursor gives the rest.
 *
 * @example
 * pageOfText({ text: patch, start: 0, maxChars: 40_000, more: (c) => `call again with cursor=${c}` })
 */
export function pageOfText({
  text,
  start,
  maxChars,
  more,
}: {
  text: string
  start: number
  maxChars: number
  /** how to get the rest, from this cursor */
  more: (cursor: number) => string
}): { text: string; end: number } {
  if (text.length - start <= maxChars) return { text: text.slice(start), end: text.length }
  const newline = text.lastIndexOf('\n', start + maxChars - 1)
  const end = newline >= start ? newline + 1 : start + maxChars
  return {
    text: `${text.slice(start, end)}\n[truncated: ${more(end)}]`,
    end,
  }
}

/**
 * The page of `items` a list tool answers, a line each: `limit` from the index in `cursor`, cut to
 * `maxChars`, and a last line naming the cursor of the next page when there is one (`again(c)`
 * says how to call for it).
 *
 * @example
 * pageOfLines({ items: changes, format: (c) => c.path, cursor: '500', limit: 500, maxChars,
 *   again: (c) => `call diff again with cursor="${c}"` })
 */
export function pageOfLines<T>({
  items,
  format,
  cursor,
  limit,
  maxChars,
  again,
}: {
  items: readonly T[]
  format: (item: T) => string
  cursor: string | undefined
  limit: number
  maxChars: number
  again: (cursor: number) => string
}): { text: string; start: number; end: number } {
  const start = Math.min(items.length, Math.max(0, Number(cursor ?? 0) || 0))
  const page = items.slice(start, start + limit).map(format)
  const { text, shown } = fitLines({ lines: page, maxChars, more: (n) => again(start + n) })
  const end = start + shown
  const next = end < items.length && shown === page.length ? `\n\n[more: ${again(end)}]` : ''
  return { text: `${text}${next}`, start, end }
}
