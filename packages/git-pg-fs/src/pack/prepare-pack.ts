import { listObjects, type ListObjectsOptions } from '../repo/reachable.ts'
import { prepareFullPack } from './full-pack.ts'
import { spoolObjects } from './pack-objects.ts'
import { PackSpool } from './pack-spool.ts'

export interface PreparedPack {
  /** objects in the pack */
  count: number
  /** the pack, streamed from its spool (which is removed when the stream ends) */
  stream: AsyncGenerator<Buffer>
  /** removes the spool when the stream is not going to be read */
  dispose(): void
}

/**
 * The pack of what a client lacks. A client that has nothing (a clone, a bundle) gets
 * `prepareFullPack`'s: the repository's trees in one streamed pass, the pack streamed
 * as it is read. Otherwise the listing and the pack are built in one pass: trees are packed while
 * the listing reads them (deltified against their previous version), then blobs, commits and tags
 * are read and packed; nothing is read twice. That pack is spooled to a temporary file and streamed.
 *
 * @example
 * const pack = await preparePack({ store, repoId, wants, haves })
 * for await (const chunk of pack.stream) res.write(chunk)
 */
export async function preparePack(
  options: ListObjectsOptions & { ofsDelta?: boolean; treeBytes?: number },
): Promise<PreparedPack> {
  const { haves = [], clientShallow = [], depth } = options
  if (haves.length === 0 && clientShallow.length === 0 && depth === undefined) {
    return prepareFullPack(options)
  }
  const spool = PackSpool.create({ ofsDelta: options.ofsDelta })
  try {
    const listing = await listObjects({
      ...options,
      onTree: (tree, hint) => spool.add(tree, hint),
    })
    await spoolObjects({
      store: options.store,
      repoId: options.repoId,
      oids: listing.oids,
      deltaBases: listing.deltaBases,
      spool,
    })
    return { count: spool.count, stream: spool.stream(), dispose: () => spool.dispose() }
  } catch (err) {
    spool.dispose()
    throw err
  }
}
