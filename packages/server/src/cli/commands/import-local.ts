import { parseArgs } from 'node:util'
import { importLocal } from '../../local-git/import-local.ts'
import { ProjectId } from '../../routes/schemas.ts'
import { stepPrinter } from './step-printer.ts'
import { short, withSyncSession } from './sync-session.ts'

/** Updated refs listed after an import; `--verbose` lists them all. */
const LISTED_REFS = 10

/**
 * `gitpg import <path-or-bundle> --project <id> [--force]`: brings a git bundle or a local
 * repository (its branches and tags) back into a project; `gitpg import` hands it anything that
 * is not a URL.
 */
export async function runImportLocal(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      project: { type: 'string' },
      force: { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v' },
    },
  })
  if (positionals.length !== 1) throw new Error('expected exactly one path or bundle (see --help)')
  if (!values.project) throw new Error('--project <id> is required')
  const checked = ProjectId.safeParse(values.project)
  if (!checked.success) throw new Error(`invalid project id: ${checked.error.issues[0].message}`)
  const steps = stepPrinter()
  const result = await withSyncSession(async ({ store }) => {
    try {
      return await importLocal({
        store,
        project: checked.data,
        path: positionals[0],
        force: values.force,
        onProgress: (p) =>
          p.step === 'reading'
            ? steps.step('reading objects')
            : steps.step(
                'storing objects',
                p.objects ? `${p.resolved ?? 0}/${p.objects}` : undefined,
              ),
      })
    } finally {
      steps.finish()
    }
  })
  const what = result.created ? 'created' : 'updated'
  process.stdout.write(
    `${what} project ${result.project}: ${result.objects} objects, ` +
      `${result.updated.length} refs updated, ${result.unchanged} unchanged\n`,
  )
  const shown = values.verbose ? result.updated : result.updated.slice(0, LISTED_REFS)
  for (const u of shown) process.stdout.write(`  ${u.name}: ${short(u.old)} -> ${short(u.new)}\n`)
  if (shown.length < result.updated.length)
    process.stdout.write(
      `  ... and ${result.updated.length - shown.length} more (--verbose lists every ref)\n`,
    )
  return 0
}

export const IMPORT_LOCAL_USAGE = `Usage: gitpg import <path-or-bundle> --project <id> [--force] [--verbose]

Imports a git bundle file or a local git repository (its branches and tags) into a project,
creating it if new, in one transaction. Branches must fast-forward and tags may not move unless
--force is given. Lists the first ${LISTED_REFS} refs it updated; --verbose lists them all.`
