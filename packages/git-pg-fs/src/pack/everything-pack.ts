import { createHash } from 'node:crypto'
import type { GitStore, StoredObject } from '../store/git-store.ts'
import { PackWriter } from './pack-writer.ts'
import type { PreparedPack } from './prepare-pack.ts'
import { addStored } from './stored-entry.ts'

/**
 * The key a full pack is recorded under: the SHA-1 of its sorted wants and the tags it includes.
 */
export function fullPackKey(wants: readonly string[], includeTags: readonly string[]): Buffer {
  const list = (ids: readonly string[]) => [...new Set(ids)].sort().join(' ')
  return createHash('sha1')
    .update(`want ${list(wants)}\ninclude-tag ${list(includeTags)}\n`)
    .digest()
}

/**
 * The pack of every stored object of the repository, when a full pack with the same key found
 * them all reachable and the repository still holds as many (see `recordFullPack`): no tree is
 * read before the pack starts, and every stored row goes out as it is, in one snapshot.
 * Null when the record does not hold, and the caller walks the trees instead.
 *
 * @example
 * const pack = await prepareEverything({ store, repoId, key: fullPackKey(wants, []) })
 */
export async function prepareEverything({
  store,
  repoId,
  key,
  deflate = false,
  ofsDelta = true,
}: {
  store: GitStore
  repoId: number
  key: Buffer
  deflate?: boolean
  ofsDelta?: boolean
}): Promise<PreparedPack | null> {
  const record = await store.readFullPack(repoId)
  if (!record || !record.wants.equals(key)) return null
  const items = store.streamEverything(repoId)[Symbol.asyncIterator]()
  const first = await items.next()
  const count = first.done ? -1 : 'count' in first.value ? first.value.count : -1
  if (count !== record.objects) {
    await items.return?.()
    return null
  }
  async function* stream(): AsyncGenerator<Buffer> {
    const pack = new PackWriter({ count, deflate })
    const offsets = new Map<string, number>()
    try {
      for (let r = await items.next(); !r.done; r = await items.next()) {
        // `for (... of ...)`, not `yield*`: an async generator's `yield*` awaits even an empty array
        for (const o of r.value as StoredObject[])
          for (const chunk of addStored({ pack, o, offsets, ofsDelta })) yield chunk
      }
    } finally {
      await items.return?.()
    }
    for (const chunk of pack.end()) yield chunk
  }
  const dispose = () => {
    items.return?.().catch(() => {})
  }
  return { count, stream: stream(), dispose }
}
