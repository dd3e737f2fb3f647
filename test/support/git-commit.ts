import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AuthorInput, FileChange } from '@gitpg/git-pg-fs'
import { git, gitOutput, lsTree } from './git-cli.ts'

function tz(offset: number): string {
  const abs = Math.abs(offset)
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`
  return `${offset < 0 ? '-' : '+'}${hhmm}`
}

function identity(role: 'AUTHOR' | 'COMMITTER', who: AuthorInput): Record<string, string> {
  if (who.timestamp === undefined) throw new Error('git can only agree on ids with fixed dates')
  return {
    [`GIT_${role}_NAME`]: who.name,
    [`GIT_${role}_EMAIL`]: who.email,
    [`GIT_${role}_DATE`]: `@${who.timestamp} ${tz(who.timezoneOffset ?? 0)}`,
  }
}

/**
 * Makes the commit git itself would make for `changes` on top of `parent` (null: a root commit),
 * using only plumbing on a private index of the non-bare repository `dir`: `read-tree`,
 * `hash-object -w`, `update-index --cacheinfo`, `write-tree`, `commit-tree`.
 */
export async function commitWithGit({
  dir,
  parent,
  changes,
  message,
  author,
  committer = author,
}: {
  dir: string
  parent: string | null
  changes: readonly FileChange[]
  message: string
  author: AuthorInput
  committer?: AuthorInput
}): Promise<{ oid: string; tree: string }> {
  const index = join(tmpdir(), `gitpg-index-${randomBytes(6).toString('hex')}`)
  const env = { GIT_INDEX_FILE: index }
  try {
    await git(dir, parent ? ['read-tree', parent] : ['read-tree', '--empty'], { env })
    for (const c of changes) {
      if (c.action === 'write') {
        const blob = (
          await gitOutput(dir, ['hash-object', '-w', '--stdin'], { input: c.content })
        ).trim()
        const info = `${c.mode ?? '100644'},${blob},${c.path}`
        await git(dir, ['update-index', '--add', '--cacheinfo', info], { env })
      } else if (c.action === 'delete') {
        await git(dir, ['update-index', '--force-remove', '--', c.path], { env })
      } else {
        if (!parent) throw new Error('a mode change needs a parent')
        const [entry] = await lsTree(dir, parent, [c.path])
        await git(dir, ['update-index', '--cacheinfo', `${c.mode},${entry.oid},${c.path}`], { env })
      }
    }
    const tree = (await gitOutput(dir, ['write-tree'], { env })).trim()
    const args = ['commit-tree', tree, ...(parent ? ['-p', parent] : [])]
    const oid = (
      await gitOutput(dir, args, {
        input: message,
        env: { ...identity('AUTHOR', author), ...identity('COMMITTER', committer) },
      })
    ).trim()
    return { oid, tree }
  } finally {
    await rm(index, { force: true })
  }
}
