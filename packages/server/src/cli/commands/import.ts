import { parseArgs } from 'node:util'
import { importProject } from '@gitpg/sync'
import type { Command } from '../commands.ts'
import { ProjectId } from '../../routes/schemas.ts'
import { progressPrinter } from './progress-printer.ts'
import { short, syncTokens, withSyncSession } from './sync-session.ts'

const USAGE = `Usage: gitpg import <git-url> --project <id> [--branch <b>] [--depth <n>] [--token <t>]
                    [--all-branches] [--github-api-url <url>]

Creates the project (if new) and imports it from a git smart-HTTP remote (GitHub, GitHub
Enterprise or any git server), in one transaction: on any failure the project stays as it was.
  --project <id>          the project to create or update (required)
  --branch <b>            the branch to import (default: the remote's default branch)
  --all-branches          import every branch
  --depth <n>             only the last <n> commits of history (a shallow project)
  --token <t>             token for the remote's host (default: GITHUB_TOKEN, for GITHUB_URL only)
  --github-api-url <url>  GitHub Enterprise API for pull requests, e.g. https://ghe.example.com/api/v3
Uses DATABASE_URL (or the embedded database in GITPG_DATA_DIR) like the server.`

/** True for `https://...` and `http://...` arguments: those are remote imports. */
export function isRemoteUrl(arg: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(arg) || /^[\w.-]+@[\w.-]+:/.test(arg)
}

/**
 * `gitpg import`: remote URLs are imported here; anything else (a local path or bundle) goes to
 * `local` when given.
 */
export function importCommand(local?: Command['run']): Command {
  return {
    name: 'import',
    summary: 'create a project (if new) and import it from a git remote',
    usage: USAGE,
    async run(args) {
      const first = args.find((a) => !a.startsWith('-'))
      if (first !== undefined && !isRemoteUrl(first)) {
        if (local) return local(args)
        throw new Error(
          `${first} is not a git URL (https://...); importing local paths is not available`,
        )
      }
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          project: { type: 'string' },
          branch: { type: 'string' },
          depth: { type: 'string' },
          token: { type: 'string' },
          'all-branches': { type: 'boolean' },
          'github-api-url': { type: 'string' },
        },
      })
      if (positionals.length !== 1) throw new Error('expected exactly one git URL (see --help)')
      if (!values.project) throw new Error('--project <id> is required')
      const project = ProjectId.safeParse(values.project)
      if (!project.success)
        throw new Error(`invalid project id: ${project.error.issues[0].message}`)
      const depth = values.depth === undefined ? undefined : Number(values.depth)
      if (depth !== undefined && (!Number.isInteger(depth) || depth < 1))
        throw new Error('--depth must be a positive whole number')
      const progress = progressPrinter()
      const result = await withSyncSession(async ({ store, cache, config }) => {
        try {
          return await importProject({
            store,
            cache,
            name: project.data,
            url: positionals[0],
            branch: values.branch,
            allBranches: values['all-branches'],
            depth,
            ...syncTokens(values.token, config),
            maxObjectSize: config.maxObjectSize,
            githubApiUrl: values['github-api-url'],
            onProgress: progress,
          })
        } finally {
          progress.finish()
        }
      })
      const what = result.created ? 'created' : 'updated'
      process.stdout.write(
        `${what} project ${result.project}: ${result.branch} at ${short(result.head)}, ` +
          `${result.objects} objects received${result.shallow ? ' (shallow)' : ''}\n`,
      )
      return 0
    },
  }
}
