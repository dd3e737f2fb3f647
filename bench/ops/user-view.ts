import { readFile, rm, writeFile, mkdir, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { encodePath } from '../lib/api-client.ts'
import type { BenchContext } from '../lib/context.ts'
import { compareRow } from '../lib/compare-row.ts'
import { noTarget } from '../lib/report.ts'
import { git, run } from '../lib/run-command.ts'
import { samplePaths } from './reads.ts'

const USER = 'bench-view'

/** gitpg abbreviates blob ids in a patch to 7 digits; git, in a large repository, to more */
const ABBREV_7 = ['-c', 'core.abbrev=7']

/** One of the user's changes: new content, or null for a deletion. */
interface Change {
  path: string
  content: Buffer | null
}

/**
 * 100 pending changes on sampled paths of HEAD: 60 edits, 20 deletions and 20 new files in new
 * folders, the same on every run.
 */
async function userChanges(ctx: BenchContext): Promise<Change[]> {
  const paths = await samplePaths(ctx, 80)
  const changes: Change[] = []
  for (const [i, path] of paths.entries()) {
    if (i % 4 === 3) changes.push({ path, content: null })
    else {
      const old = await readFile(join(ctx.clone, path))
      changes.push({ path, content: Buffer.concat([Buffer.from(`edit ${i}\n`), old]) })
    }
  }
  for (let i = 0; i < 20; i++)
    changes.push({ path: `bench-view/new-${i % 4}/file-${i}.txt`, content: Buffer.from(`${i}\n`) })
  return changes
}

/** One timed row: git's command in the work tree against gitpg's answer, checked first. */
function row(args: {
  ctx: BenchContext
  operation: string
  notes: string
  gitRun: () => Promise<string>
  gitpgRun: () => Promise<string>
}) {
  const { ctx, operation } = args
  return compareRow({
    ...args,
    target: noTarget,
    check: async (answer, expected) => {
      if (answer === expected) return undefined
      const at = answer.split('\n').findIndex((l, i) => l !== expected.split('\n')[i])
      const file = join(ctx.work, `user-view-${operation.split(' ')[0]}`)
      await writeFile(`${file}.gitpg`, answer, 'latin1')
      await writeFile(`${file}.git`, expected, 'latin1')
      return `line ${at + 1} differs from git (both in ${file}.*)`
    },
  })
}

/**
 * The user's own view with 100 pending changes: the whole listing with the changes laid over,
 * and the diff of the changes (JSON and patch), against git in a work tree holding the same
 * changes staged (`git ls-files -s`, `git diff --cached`).
 */
export async function benchUserView(ctx: BenchContext): Promise<void> {
  const changes = await userChanges(ctx)
  const work = join(ctx.scratch, 'user-view')
  await rm(work, { recursive: true, force: true })
  await git(ctx.scratch, ['clone', '-q', '--shared', ctx.repo.gitdir, work])
  for (const c of changes) {
    const file = join(work, c.path)
    if (c.content === null) await unlink(file)
    else {
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, c.content)
    }
  }
  await git(work, ['add', '-A'])
  const api = () => ctx.gitpg!.api
  if (ctx.gitpg)
    for (const c of changes) {
      const path = encodePath(c.path)
      if (c.content === null)
        await api().request('POST', `/pending/${ctx.project}/${USER}/delete/${path}`)
      else
        await api().request('PUT', `/pending/${ctx.project}/${USER}/${path}`, { body: c.content })
    }
  const name = ctx.repo.name
  const files = (await git(work, ['ls-files'])).split('\n').length

  await row({
    ctx,
    operation: `listing at HEAD (${files} files), ${name}`,
    notes: 'git ls-tree -r HEAD',
    gitRun: async () =>
      (await git(ctx.clone, ['ls-tree', '-r', 'HEAD']))
        .split('\n')
        .map((l) => `${l.split(' ')[2].split('\t')[0]} ${l.split('\t')[1]}`)
        .join('\n'),
    gitpgRun: async () => {
      const res = await api().json<{ files: { path: string; oid: string }[] }>(
        'GET',
        `/files/${ctx.project}`,
      )
      return res.files.map((f) => `${f.oid} ${f.path}`).join('\n')
    },
  })

  await row({
    ctx,
    operation: `listing with 100 pending changes laid over (${files} files), ${name}`,
    notes: 'git ls-files -s in a work tree with the changes staged',
    gitRun: async () =>
      (await git(work, ['ls-files', '-s']))
        .split('\n')
        .map((l) => `${l.split(' ')[1]} ${l.split('\t')[1]}`)
        .join('\n'),
    gitpgRun: async () => {
      const res = await api().json<{ files: { path: string; oid: string }[] }>(
        'GET',
        `/files/${ctx.project}?userId=${USER}`,
      )
      return res.files.map((f) => `${f.oid} ${f.path}`).join('\n')
    },
  })

  await row({
    ctx,
    operation: `diff of 100 pending changes, ${name}`,
    notes: 'git diff --cached --name-status --no-renames',
    gitRun: () => git(work, ['diff', '--cached', '--name-status', '--no-renames']),
    gitpgRun: async () => {
      const res = await api().json<{ changes: { path: string; status: string }[] }>(
        'GET',
        `/pending/${ctx.project}/${USER}/diff`,
      )
      return res.changes.map((c) => `${c.status}\t${c.path}`).join('\n')
    },
  })

  // binary sections differ in their zlib bytes: the text of the patch up to them is compared
  const textOnly = (patch: string) =>
    patch
      .split(/^(?=diff --git )/m)
      .map((s) => (s.includes('GIT binary patch\n') ? s.slice(0, s.indexOf('GIT binary')) : s))
      .join('')
  await row({
    ctx,
    operation: `patch of 100 pending changes, ${name}`,
    notes: 'git diff --cached --binary --no-renames',
    gitRun: async () =>
      textOnly(
        (
          await run('git', [...ABBREV_7, 'diff', '--cached', '--binary', '--no-renames'], {
            cwd: work,
          })
        ).toString('latin1'),
      ),
    gitpgRun: async () =>
      textOnly(
        (await api().bytes(`/pending/${ctx.project}/${USER}/diff?format=patch`)).toString('latin1'),
      ),
  })
  await rm(work, { recursive: true, force: true })
}
