import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { encodePathParam } from './api-caller.ts'
import { project, type ToolContext } from './read-tools.ts'
import { errorResult, textResult } from './tool-result.ts'

const userId = z
  .string()
  .min(1)
  .describe('whose pending (uncommitted) changes: the user or agent the work is for')

/** `save_pending` and `commit_pending`: changes as a user's pending work, then one commit. */
export function registerWriteTools(server: McpServer, { api }: ToolContext): void {
  server.registerTool(
    'save_pending',
    {
      description:
        "Save a file's new content (the whole file, as text) as the user's pending change: " +
        'durable and visible to read_files/list_files with the same userId, but not committed ' +
        'until commit_pending.',
      inputSchema: {
        project,
        userId,
        path: z.string().min(1).describe('repository-relative file path; created if new'),
        content: z.string().describe('the complete new content of the file'),
      },
    },
    async (args) => {
      try {
        const saved = await api.json<{
          path: string
          action: string
          size: number
          version: string
        }>({
          method: 'PUT',
          path: `/pending/${encodeURIComponent(args.project)}/${encodeURIComponent(args.userId)}/${encodePathParam(args.path)}`,
          body: args.content,
        })
        return textResult(
          `saved ${saved.path} (${saved.action}, ${saved.size} bytes, version ${saved.version}) ` +
            `as pending for ${args.userId}; commit it with commit_pending`,
        )
      } catch (err) {
        return errorResult(err)
      }
    },
  )

  server.registerTool(
    'commit_pending',
    {
      description:
        "Commit the user's pending changes (all, or only `paths`) to a branch in one commit and " +
        'clear them. Fails with NOTHING_TO_COMMIT when there are none, and with REF_CONFLICT ' +
        'when expectedHead is given and the branch has moved.',
      inputSchema: {
        project,
        userId,
        message: z.string().min(1).describe('the commit message'),
        authorName: z.string().optional().describe('default: the userId'),
        authorEmail: z.string().optional().describe('default: <userId>@users.gitpg'),
        paths: z.array(z.string()).min(1).optional().describe('commit only these pending paths'),
        branch: z.string().optional().describe("default: the project's default branch"),
        expectedHead: z
          .string()
          .optional()
          .describe('the commit id the branch must be at, or nothing is committed'),
      },
    },
    async (args) => {
      try {
        const created = await api.json<{ commit: string; branch: string; paths: string[] }>({
          method: 'POST',
          path: `/projects/${encodeURIComponent(args.project)}/commits`,
          json: {
            userId: args.userId,
            message: args.message,
            author: {
              name: args.authorName ?? args.userId,
              email: args.authorEmail ?? `${args.userId}@users.gitpg`,
            },
            paths: args.paths,
            branch: args.branch,
            expectedHead: args.expectedHead,
          },
        })
        return textResult(
          `committed ${created.commit} on ${created.branch}: ${created.paths.join(', ')}`,
        )
      } catch (err) {
        return errorResult(err)
      }
    },
  )
}
