import { parseArgs } from 'node:util'
import { pushProject } from '@gitpg/sync'
import type { Command } from '../commands.ts'
import { progressPrinter } from './progress-printer.ts'
import { short, syncTokens, withSyncSession } from './sync-session.ts'

export const pushCommand: Command = {
  name: 'push',
  summary: 'push the project to its remote',
  usage: `Usage: gitpg push <project> [--branch <b>] [--remote-branch <r>] [--force] [--token <t>]
                  [--pull-request <title> [--pr-body <text>] [--pr-base <branch>]]

Pushes a branch (default: the project's default branch) to the project's remote. Fails with
NON_FAST_FORWARD when the remote branch has commits the local one lacks, unless --force.
  --branch <b>          the local branch to push
  --remote-branch <r>   the remote branch (default: the followed one, or the same name)
  --force               overwrite the remote branch
  --pull-request <t>    push to a new branch and open a GitHub pull request titled <t>
  --token <t>           token for the remote's host (default: GITHUB_TOKEN, for GITHUB_URL only)`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        branch: { type: 'string' },
        'remote-branch': { type: 'string' },
        force: { type: 'boolean' },
        token: { type: 'string' },
        'pull-request': { type: 'string' },
        'pr-body': { type: 'string' },
        'pr-base': { type: 'string' },
      },
    })
    if (positionals.length !== 1) throw new Error('expected exactly one project (see --help)')
    const title = values['pull-request']
    const progress = progressPrinter()
    const result = await withSyncSession(async ({ store, cache, config }) => {
      try {
        return await pushProject({
          store,
          cache,
          name: positionals[0],
          branch: values.branch,
          remoteBranch: values['remote-branch'],
          force: values.force,
          ...syncTokens(values.token, config),
          pullRequest: title
            ? { title, body: values['pr-body'], base: values['pr-base'] }
            : undefined,
          onProgress: progress,
        })
      } finally {
        progress.finish()
      }
    })
    process.stdout.write(
      result.pushed
        ? `pushed ${result.branch} to ${result.remoteBranch}: ` +
            `${short(result.from)}..${short(result.to)}, ${result.objects} objects\n`
        : `${result.remoteBranch} is up to date at ${short(result.to)}\n`,
    )
    if (result.pullRequest)
      process.stdout.write(
        `opened pull request #${result.pullRequest.number}: ${result.pullRequest.url}\n`,
      )
    return 0
  },
}
