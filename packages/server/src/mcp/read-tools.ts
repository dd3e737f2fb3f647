import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import type { ApiCaller } from './api-caller.ts'
import { errorResult, fitLines, pageOfLines, pageOfText, textResult } from './tool-result.ts'

/** What every tool of a request shares: the API as the caller, and the result budget. */
export interface ToolContext {
  api: ApiCaller
  /** characters one tool result may hold; past it, a result says how to get the rest */
  maxChars: number
}

export const project = z.string().describe('the project id, e.g. "docs"')
export const ref = z
  .string()
  .optional()
  .describe("a branch, tag or commit id; default: the project's default branch")
export const userId = z
  .string()
  .optional()
  .describe("lay this user's pending (uncommitted) changes over the ref")
export const cursor = z
  .string()
  .optional()
  .describe('the cursor a previous result gave, to get the next page')

interface FileEntry {
  path: string
  oid: string
  size: number
}

/** `list_files`, `read_files`, `log` and `diff`: reads through the REST API, sized for a model. */
export function registerReadTools(server: McpServer, { api, maxChars }: ToolContext): void {
  server.registerTool(
    'list_files',
    {
      description:
        'List the files of a project at a ref (path and size in bytes, one per line), optionally ' +
        'under a prefix. Long listings come a page at a time: the result ends with the cursor ' +
        'for the next page.',
      inputSchema: {
        project,
        ref,
        prefix: z.string().optional().describe('only paths under this directory, e.g. "src/"'),
        userId,
        limit: z.number().int().min(1).max(5000).default(500).describe('files per page'),
        cursor,
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      try {
        const { files } = await api.json<{ files: FileEntry[] }>({
          method: 'GET',
          path: `/files/${encodeURIComponent(args.project)}`,
          query: { ref: args.ref, prefix: args.prefix, userId: args.userId },
        })
        const { text, start, end } = pageOfLines({
          items: files,
          format: (f) => `${f.path}\t${f.size}`,
          cursor: args.cursor,
          limit: args.limit,
          maxChars,
          again: (c) => `call list_files again with cursor="${c}"`,
        })
        const head = `${files.length} files; ${files.length === 0 ? 'none' : `${start + 1}-${end}`} below (path, size):`
        return textResult(`${head}\n${text}`)
      } catch (err) {
        return errorResult(err)
      }
    },
  )

  server.registerTool(
    'log',
    {
      description:
        'The commit history newest first, like `git log` (with `path`, like `git log -- path`): ' +
        'one commit a line, "<commit id> <date> <author>: <subject>". Use the ids with `diff`.',
      inputSchema: {
        project,
        ref,
        path: z.string().optional().describe('only commits that changed this file or directory'),
        limit: z.number().int().min(1).max(1000).default(50).describe('commits per page'),
        cursor,
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      try {
        const page = await api.json<{ commits: LogCommit[]; next: string | null }>({
          method: 'GET',
          path: `/projects/${encodeURIComponent(args.project)}/log`,
          query: { ref: args.ref, path: args.path, limit: args.limit, cursor: args.cursor },
        })
        const lines = page.commits.map(logLine)
        const { text, shown } = fitLines({
          lines,
          maxChars,
          more: (n) => `call log again with ref="${page.commits[n].oid}" for the rest`,
        })
        const next =
          page.next !== null && shown === lines.length
            ? `\n\n[more: call log again with cursor="${page.next}"]`
            : ''
        return textResult(`${lines.length === 0 ? '(no commits)' : text}${next}`)
      } catch (err) {
        return errorResult(err)
      }
    },
  )

  server.registerTool(
    'diff',
    {
      description:
        'What changed between two refs. By default the changed paths with their status (A added, ' +
        'M modified, D deleted), like `git diff --name-status --no-renames from to`; with ' +
        'patch=true the unified diff, like `git diff from to`. Either comes a page at a time: the ' +
        'result ends with the cursor for the next page.',
      inputSchema: {
        project,
        from: z.string().describe('the older ref: a commit id, branch or tag'),
        to: ref.describe("the newer ref; default: the project's default branch"),
        path: z.string().optional().describe('only this file or directory'),
        patch: z.boolean().default(false).describe('the unified diff instead of the path list'),
        limit: z.number().int().min(1).max(5000).default(500).describe('paths per page'),
        cursor,
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      try {
        const call = {
          method: 'GET',
          path: `/projects/${encodeURIComponent(args.project)}/diff`,
          query: { from: args.from, to: args.to, path: args.path },
        }
        if (!args.patch) {
          const { changes } = await api.json<{ changes: { path: string; status: string }[] }>(call)
          const { text } = pageOfLines({
            items: changes,
            format: (c) => `${c.status}\t${c.path}`,
            cursor: args.cursor,
            limit: args.limit,
            maxChars,
            again: (c) => `call diff again with the same arguments and cursor="${c}"`,
          })
          return textResult(changes.length === 0 ? '(no changes)' : text)
        }
        const patch = await api.text({ ...call, query: { ...call.query, format: 'patch' } })
        const start = Math.min(patch.length, Math.max(0, Number(args.cursor ?? 0) || 0))
        const { text } = pageOfText({
          text: patch,
          start,
          maxChars,
          more: (end) => `call diff again with the same arguments and cursor="${end}"`,
        })
        return textResult(patch === '' ? '(no changes)' : text)
      } catch (err) {
        return errorResult(err)
      }
    },
  )
}

interface LogCommit {
  oid: string
  message: string
  author: { name: string; email: string; timestamp: number }
}

const logLine = (c: LogCommit) =>
  `${c.oid} ${new Date(c.author.timestamp * 1000).toISOString().slice(0, 10)} ${c.author.name}: ${
    c.message.split('\n')[0]
  }`
