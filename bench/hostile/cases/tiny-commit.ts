import { commitPack, entryOf, objectId } from '../crafted-pack.ts'

/** A root commit with one small file: the history a case's project needs to be fetched from. */
export function tinyCommit(): { commit: string; pack: Buffer } {
  const readme = Buffer.from('a project to fetch from\n')
  return commitPack({
    tree: [{ name: 'README.md', oid: objectId('blob', readme) }],
    blobs: [entryOf('blob', readme)],
    message: 'one file',
  })
}
