import { parseArgs } from 'node:util'
import { pullProject } from '@gitpg/sync'
import type { Command } from '../commands.ts'
import { findPendingOnPaths } from '../../store/postgres/pending-on-paths.ts'
import { progressPrinter } from './progress-printer.ts'
import { short, syncTokens, withSyncSession } from './sync-session.ts'

export const pullCommand: Command = {
  name: 'pull',
  summary: "fetch the project's remote and fast-forward",
  usage: `Usage: gitpg pull <project> [--branch <b>] [--merge] [--token <t>]

Fetches the project's remote and fast-forwards the branch (default: the one followed), then
lists the changed paths and those with pending changes. Fails with DIVERGED, changing nothing,
when both sides have new commits, unless --merge.
  --branch <b>   the branch to update
  --merge        merge diverged branches (MERGE_CONFLICT, changing nothing, on conflicts)
  --token <t>    token for the remote's host (default: GITHUB_TOKEN, for GITHUB_URL only)`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        branch: { type: 'string' },
        token: { type: 'string' },
        merge: { type: 'boolean' },
      },
    })
    if (positionals.length !== 1) throw new Error('expected exactly one project (see --help)')
    const progress = progressPrinter()
    const result = await withSyncSession(async ({ store, cache, db, config }) => {
      try {
        return await pullProject({
          store,
          cache,
          name: positionals[0],
          branch: values.branch,
          merge: values.merge,
          ...syncTokens(values.token, config),
          maxObjectSize: config.maxObjectSize,
          findPending: (input) => findPendingOnPaths(db, input),
          onProgress: progress,
        })
      } finally {
        progress.finish()
      }
    })
    if (result.upToDate) {
      process.stdout.write(`${result.branch} is up to date at ${short(result.to)}\n`)
      return 0
    }
    process.stdout.write(
      `${result.branch}: ${short(result.from)}..${short(result.to)}${result.merged ? ' (merge)' : ''}, ` +
        `${result.changedPaths.length} paths changed\n`,
    )
    for (const c of result.conflicts)
      process.stdout.write(`  pending changes on ${c.path} by ${c.users.join(', ')}\n`)
    return 0
  },
}
