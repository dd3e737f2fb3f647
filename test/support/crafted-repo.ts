import { makeObject, type GitObject } from '@gitpg/git-pg-fs'
import { git } from './git-cli.ts'

/** One entry of a crafted tree: written as given, in the order given, unchecked. */
export interface CraftedEntry {
  mode: string
  name: string | Buffer
  oid: string
}

/** A raw tree git itself would never write (`..`, `.git`, `a/b` names, any order). */
export function craftTree(entries: readonly CraftedEntry[]): GitObject {
  const parts = entries.flatMap((e) => [
    Buffer.from(`${e.mode} `),
    typeof e.name === 'string' ? Buffer.from(e.name) : e.name,
    Buffer.from([0]),
    Buffer.from(e.oid, 'hex'),
  ])
  return makeObject('tree', Buffer.concat(parts))
}

/** A commit of `tree`, its author dated `date` (seconds, any digits, as written). */
export function craftCommit({
  tree,
  parents = [],
  date = '1700000000',
  message = 'crafted\n',
}: {
  tree: string
  parents?: string[]
  date?: string
  message?: string
}): GitObject {
  const head = [`tree ${tree}`, ...parents.map((p) => `parent ${p}`)]
  head.push(`author Eve <eve@example.com> ${date} +0000`)
  head.push(`committer Eve <eve@example.com> 1700000000 +0000`)
  return makeObject('commit', Buffer.from(`${head.join('\n')}\n\n${message}`))
}

/**
 * A bare repository at `dir` holding `objects` exactly as given (`hash-object --literally`), with
 * `refs/heads/main` at `head`: what a hostile client would push or serve.
 */
export async function writeCraftedRepo(
  dir: string,
  objects: readonly GitObject[],
  head: string,
): Promise<void> {
  await git('.', ['init', '-q', '--bare', '-b', 'main', dir])
  for (const o of objects) {
    const args = ['hash-object', '--literally', '-w', '-t', o.type, '--stdin']
    await git(dir, args, { input: o.content })
  }
  await git(dir, ['update-ref', 'refs/heads/main', head])
}
