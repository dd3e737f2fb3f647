import {
  FLUSH,
  makeObject,
  parsePktLines,
  pktLine,
  serializeCommit,
  serializeTree,
  writePack,
  type GitObject,
  type TreeEntry,
} from '@gitpg/git-pg-fs'
import type { ApiApp } from '../../src/context.ts'
import { API_KEY } from './test-app.ts'

const ZERO = '0'.repeat(40)
const who = { name: 'T', email: 't@x', timestamp: 1_700_000_000, timezoneOffset: 0 }

/** A tree object of `entries` (name → [mode, oid]). */
export function treeOf(entries: [name: string, mode: string, oid: string][]): GitObject {
  const list: TreeEntry[] = entries.map(([name, mode, oid]) => ({
    name,
    mode,
    oid,
    type: mode === '40000' ? 'tree' : 'blob',
  }))
  return makeObject('tree', serializeTree(list))
}

/** A root commit of `tree`. */
export function commitOf(tree: GitObject): GitObject {
  return makeObject(
    'commit',
    serializeCommit({ tree: tree.oid, parents: [], author: who, committer: who, message: 'x\n' }),
  )
}

/**
 * Pushes `objects` (built by hand, packed by the project's own pack writer) to a new branch
 * with a raw receive-pack request; returns the report-status lines.
 */
export async function pushObjects({
  app,
  project,
  branch = 'main',
  tip,
  objects,
}: {
  app: ApiApp
  project: string
  branch?: string
  tip: string
  objects: GitObject[]
}): Promise<string[]> {
  const body = Buffer.concat([
    pktLine(`${ZERO} ${tip} refs/heads/${branch}\0report-status\n`),
    FLUSH,
    await writePack(objects),
  ])
  const res = await app.request(`/git/${project}.git/git-receive-pack`, {
    method: 'POST',
    headers: {
      'X-Internal-API-Key': API_KEY,
      'Content-Type': 'application/x-git-receive-pack-request',
    },
    body: new Uint8Array(body),
  })
  const { packets } = parsePktLines(Buffer.from(await res.arrayBuffer()))
  return packets.flatMap((p) => (Buffer.isBuffer(p) ? [p.toString('utf8').trimEnd()] : []))
}
