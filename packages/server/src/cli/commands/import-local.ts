import { parseArgs } from 'node:util'
import { importLocal } from '../../local-git/import-local.ts'
import { ProjectId } from '../../routes/schemas.ts'
import { short, withSyncSession } from './sync-session.ts'

/**
 * `gitpg import <path-or-bundle> --project <id> [--force]`: brings a git bundle or a local
 * repository (its branches and tags) back into a project; `gitpg import` hands it anything that
 * is not a URL.
 */
export async function runImportLocal(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { project: { type: 'string' }, force: { type: 'boolean' } },
  })
  if (positionals.length !== 1) throw new Error('expected exactly one path or bundle (see --help)')
  if (!values.project) throw new Error('--project <id> is required')
  const checked = ProjectId.safeParse(values.project)
  if (!checked.success) throw new Error(`invalid project id: ${checked.error.issues[0].message}`)
  const result = await withSyncSession(({ store }) =>
    importLocal({ store, project: checked.data, path: positionals[0], force: values.force }),
  )
  const what = result.created ? 'created' : 'updated'
  process.stdout.write(
    `${what} project ${result.project}: ${result.objects} objects, ` +
      `${result.updated.length} refs updated, ${result.unchanged} unchanged\n`,
  )
  for (const u of result.updated)
    process.stdout.write(`  ${u.name}: ${short(u.old)} -> ${short(u.new)}\n`)
  return 0
}

export const IMPORT_LOCAL_USAGE = `Usage: gitpg import <path-or-bundle> --project <id> [--force]

Imports a git bundle file or a local git repository (its branches and tags) into a project,
creating it if new, in one transaction. Branches must fast-forward and tags may not move unless
--force is given.`
