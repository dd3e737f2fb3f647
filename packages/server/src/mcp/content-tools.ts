import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { ApiCallError, encodePathParam } from './api-caller.ts'
import { cursor, project, ref, userId, type ToolContext } from './read-tools.ts'
import { errorResult, fitLines, pageOfText, textResult } from './tool-result.ts'

interface BatchFile {
  path: string
  encoding: 'utf8' | 'base64'
  content: string
  size: number
  pending: boolean
}

interface Batch {
  files: BatchFile[]
  missing: string[]
  skipped: { path: string }[]
}

interface GrepMatch {
  path: string
  line: number
  text: string
  before?: unknown[]
  after?: unknown[]
}

interface Blame {
  head: string
  lineCount: number
  lines: { line: number; commit: string }[]
  commits: Record<string, { author: { name: string; timestamp: number }; summary: string }>
}

/** A context line of grep: a string, or `{ line, text }`. */
const contextText = (c: unknown) =>
  typeof c === 'string' ? c : String((c as { text?: unknown }).text ?? '')

/** A blame cursor: the line to go on from. */
function lineCursor(cursor: string): number {
  const line = Number(cursor)
  if (Number.isSafeInteger(line) && line >= 1) return line
  throw new ApiCallError({
    code: 'VALIDATION_FAILED',
    status: 400,
    message: `cursor "${cursor}" is not a line number: give the cursor a result named`,
  })
}

/** `read_files`, `grep` and `blame`: file contents through the REST API, sized for a model. */
export function registerContentTools(server: McpServer, { api, maxChars }: ToolContext): void {
  server.registerTool(
    'read_files',
    {
      description:
        'Read the contents of several files at once. Each file comes after a "--- <path> ---" ' +
        'line; binary files are named, not shown. Files that do not fit in one result are listed ' +
        'at the end: call read_files again with those paths. A file too long for one result is ' +
        'cut, with the offset to read on from.',
      inputSchema: {
        project,
        paths: z.array(z.string()).min(1).max(1000).describe('repository-relative file paths'),
        ref,
        userId,
        offset: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe('with one path: the character to read on from, as a cut result says'),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      try {
        if (args.offset !== undefined && args.paths.length !== 1)
          throw new ApiCallError({
            code: 'VALIDATION_FAILED',
            status: 400,
            message: 'offset reads on in one file: give exactly one path',
          })
        const batch = await api.json<Batch>({
          method: 'POST',
          path: `/files/${encodeURIComponent(args.project)}/batch`,
          json: { paths: args.paths, ref: args.ref, userId: args.userId },
        })
        const parts: string[] = []
        const later: string[] = batch.skipped.map((s) => s.path)
        let left = maxChars
        for (const f of batch.files) {
          const head = `--- ${f.path}${f.pending ? ' (pending)' : ''} ---`
          const whole = f.encoding === 'utf8' ? f.content : `(binary, ${f.size} bytes: not shown)`
          const body = args.offset === undefined ? whole : whole.slice(args.offset)
          if (head.length + body.length + 2 <= left) {
            parts.push(`${head}\n${body}`)
            left -= head.length + body.length + 2
          } else if (parts.length === 0) {
            const start = args.offset ?? 0
            const page = pageOfText({
              text: whole,
              start,
              maxChars: Math.max(1, left - head.length - 200),
              more: (end) =>
                `${end} of ${whole.length} characters read: call read_files again with paths ` +
                `${JSON.stringify([f.path])} and offset=${end}`,
            })
            parts.push(`${head}\n${page.text}`)
            left = 0
          } else later.push(f.path)
        }
        if (batch.missing.length > 0) parts.push(`[not found: ${batch.missing.join(', ')}]`)
        if (later.length > 0)
          parts.push(
            `[not included, to keep this result small: call read_files again with paths ${JSON.stringify(later)}]`,
          )
        return textResult(parts.join('\n'))
      } catch (err) {
        return errorResult(err)
      }
    },
  )

  server.registerTool(
    'grep',
    {
      description:
        'Search file contents like `git grep -n -I`: one match a line, "<path>:<line>:<text>" ' +
        '(context lines use "-" for ":"). A fixed string unless regex=true; `path` is a prefix or ' +
        'a glob such as "*.ts". Many matches come a page at a time, with the cursor for the next.',
      inputSchema: {
        project,
        pattern: z
          .string()
          .min(1)
          .describe('the text (or with regex=true, the regular expression)'),
        regex: z.boolean().optional().describe('pattern is a regular expression (ERE)'),
        ignoreCase: z.boolean().optional(),
        path: z.string().optional().describe('only files under this prefix or matching this glob'),
        context: z.number().int().min(0).max(10).optional().describe('lines before and after'),
        ref,
        userId,
        limit: z.number().int().min(1).max(1000).default(100).describe('matches per page'),
        cursor,
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      try {
        const page = await api.json<{ matches: GrepMatch[]; next: string | null }>({
          method: 'GET',
          path: `/projects/${encodeURIComponent(args.project)}/grep`,
          query: {
            pattern: args.pattern,
            regex: args.regex,
            ignoreCase: args.ignoreCase,
            path: args.path,
            context: args.context,
            ref: args.ref,
            userId: args.userId,
            limit: args.limit,
            cursor: args.cursor,
          },
        })
        const lines = page.matches.map((m) => {
          const before = (m.before ?? []).map(
            (c, i, all) => `${m.path}-${m.line - all.length + i}-${contextText(c)}`,
          )
          const after = (m.after ?? []).map(
            (c, i) => `${m.path}-${m.line + 1 + i}-${contextText(c)}`,
          )
          return [...before, `${m.path}:${m.line}:${m.text}`, ...after].join('\n')
        })
        const { text, shown } = fitLines({
          lines,
          maxChars,
          more: (n) =>
            `${lines.length - n} more matches on this page: narrow the search with path, or ` +
            `call grep again with limit=${Math.max(1, n)}`,
        })
        const next =
          page.next !== null && shown === lines.length
            ? `\n\n[more: call grep again with cursor="${page.next}"]`
            : ''
        return textResult(`${lines.length === 0 ? '(no matches)' : text}${next}`)
      } catch (err) {
        return errorResult(err)
      }
    },
  )

  server.registerTool(
    'blame',
    {
      description:
        'Who last changed each line of a file, like `git blame`: "<commit> <date> <author> ' +
        '<line>: <text>". Long files come a range of lines at a time: the result ends with the ' +
        'cursor (the line to go on from) for the next page.',
      inputSchema: {
        project,
        path: z.string().min(1).describe('the file'),
        ref,
        start: z.number().int().min(1).default(1).describe('first line'),
        limit: z.number().int().min(1).max(2000).default(300).describe('lines per call'),
        cursor: cursor.describe('the cursor a previous result gave: the first line, as `start`'),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      try {
        const start = args.cursor === undefined ? args.start : lineCursor(args.cursor)
        const end = start + args.limit - 1
        const blame = await api.json<Blame>({
          method: 'GET',
          path: `/projects/${encodeURIComponent(args.project)}/blame/${encodePathParam(args.path)}`,
          query: { ref: args.ref, start, end },
        })
        // the lines' text from the very commit blamed, even if the branch has moved since
        const content = await api.text({
          method: 'GET',
          path: `/files/${encodeURIComponent(args.project)}/${encodePathParam(args.path)}`,
          query: { ref: blame.head },
        })
        const text = content.split('\n')
        const total = blame.lineCount
        const lines = blame.lines.map((l) => {
          const c = blame.commits[l.commit]
          const date = c ? new Date(c.author.timestamp * 1000).toISOString().slice(0, 10) : ''
          return `${l.commit.slice(0, 12)} ${date} ${c?.author.name ?? ''} ${l.line}: ${text[l.line - 1] ?? ''}`
        })
        const { text: body, shown } = fitLines({
          lines,
          // the rest is for the table of the commits named
          maxChars: Math.floor(maxChars * 0.75),
          more: (n) => `call blame again with cursor="${blame.lines[n].line}"`,
        })
        const last = blame.lines[shown - 1]?.line ?? end
        const next =
          shown === lines.length && last < total
            ? `\n\n[more: lines ${last + 1}-${total}: call blame again with cursor="${last + 1}"]`
            : ''
        const shownCommits = new Set(blame.lines.slice(0, shown).map((l) => l.commit))
        const commits = [...shownCommits].map(
          (oid) => `${oid} ${blame.commits[oid]?.summary ?? ''}`,
        )
        return textResult(`${body}${next}\n\ncommits:\n${commits.join('\n')}`)
      } catch (err) {
        return errorResult(err)
      }
    },
  )
}
