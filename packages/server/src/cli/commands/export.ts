import { parseArgs } from 'node:util'
import type { Command } from '../commands.ts'
import { openProject } from '../../domain/projects.ts'
import { exportRepository } from '../../local-git/export-repository.ts'
import type { ExportProgress } from '../../local-git/export-repository.ts'
import { formatBytes } from './progress-printer.ts'
import { stepPrinter } from './step-printer.ts'
import { withSyncSession } from './sync-session.ts'

const EXPORT_STEPS: Record<ExportProgress['step'], string> = {
  counting: 'counting objects',
  writing: 'writing objects',
  checkout: 'checking out files',
}

const exportDetail = (p: ExportProgress) =>
  p.objects === undefined ? undefined : `${p.objects} objects, ${formatBytes(p.bytes ?? 0)}`

const USAGE = `Usage: gitpg export <project> <dir> [--bare]

Writes the project as a standard git repository in <dir> (which must be empty or not exist): every
branch and tag, HEAD on the project's default branch, and a checked-out work tree unless --bare.
Needs the git CLI. Uses DATABASE_URL (or the embedded database in GITPG_DATA_DIR) like the server.
  --bare   a bare repository, without a work tree`

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a project as a standard git repository',
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { bare: { type: 'boolean' } },
    })
    if (positionals.length !== 2) throw new Error('expected <project> <dir> (see --help)')
    const [projectId, dir] = positionals
    const steps = stepPrinter()
    const result = await withSyncSession(async ({ store, cache }) => {
      const repo = await openProject({ store, cache, projectId })
      try {
        return await exportRepository({
          store,
          repoId: repo.repoId,
          dir,
          bare: values.bare,
          onProgress: (p) => steps.step(EXPORT_STEPS[p.step], exportDetail(p)),
        })
      } finally {
        steps.finish()
      }
    })
    const head = result.head ? result.head.replace(/^refs\/heads\//, '') : '(none)'
    process.stdout.write(
      `exported ${projectId} to ${result.dir}: ${result.refs} refs, ${result.objects} objects, ` +
        `HEAD ${head}${result.checkedOut ? ', checked out' : ''}\n`,
    )
    return 0
  },
}
