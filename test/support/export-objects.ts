import { parseCommit, parseTree, type GitStore } from '@gitpg/git-pg-fs'
import { git, gitOutput, lines } from './git-cli.ts'

/** The ids among `oids` that the on-disk repository `dir` does not have. */
async function missingOn(dir: string, oids: readonly string[]): Promise<string[]> {
  if (oids.length === 0) return []
  const out = await gitOutput(dir, ['cat-file', '--batch-check'], {
    input: oids.map((o) => `${o}\n`).join(''),
  })
  return lines(out)
    .filter((l) => l.endsWith(' missing'))
    .map((l) => l.split(' ')[0])
}

/**
 * Copies every object reachable from `oid` that `dir` lacks out of the store into `dir`, letting
 * `git hash-object -w` hash each one again; fails when git computes a different id than the store.
 * Returns how many objects were written.
 */
export async function exportObjects({
  store,
  repoId,
  dir,
  oid,
}: {
  store: GitStore
  repoId: number
  dir: string
  oid: string
}): Promise<number> {
  let pending = [oid]
  let written = 0
  while (pending.length > 0) {
    const todo = await missingOn(dir, [...new Set(pending)])
    const objects = await store.readObjects(repoId, todo)
    const next: string[] = []
    for (const want of todo) {
      const object = objects.get(want)
      if (!object) throw new Error(`object ${want} is reachable but not stored`)
      const args = ['hash-object', '-w', '-t', object.type, '--stdin']
      const got = (await gitOutput(dir, args, { input: object.content })).trim()
      if (got !== want) throw new Error(`git hashes ${object.type} ${want} as ${got}`)
      written += 1
      if (object.type === 'commit') {
        const commit = parseCommit(object.content)
        next.push(commit.tree, ...commit.parents)
      } else if (object.type === 'tree') {
        for (const e of parseTree(object.content)) if (e.type !== 'commit') next.push(e.oid)
      }
    }
    pending = next
  }
  return written
}

/** `git fsck --strict` of the whole repository; resolves with its output, rejects on any error. */
export async function fsckStrict(dir: string): Promise<string> {
  const out = await git(dir, ['fsck', '--strict', '--no-dangling', '--no-progress'])
  return out.toString('utf8')
}
