import { importPack, type GitStore, type ImportPackResult } from '@gitpg/git-pg-fs'
import type { FetchResult, ProgressListener } from '../transport/git-remote.ts'
import { updateShallow } from './shallow.ts'

/**
 * Stores a fetched pack and the shallow boundary it brings, then runs `apply` (ref updates and
 * the like) — all in one transaction, so a bad pack or a failed `apply` leaves nothing behind.
 * `apply` checks the history of every ref it moves (`checkConnected`) before moving it.
 */
export async function storeFetchedPack<T>({
  store,
  repoId,
  fetched,
  shallow,
  onProgress,
  apply,
  maxObjectSize,
}: {
  store: GitStore
  /** the repository, or a function creating it inside the transaction */
  repoId: number | ((tx: GitStore) => Promise<number>)
  fetched: FetchResult | null
  /** the repository's shallow commits before the fetch */
  shallow: readonly string[]
  onProgress?: ProgressListener
  apply: (tx: GitStore, id: number, imported: ImportPackResult | null) => Promise<T>
  maxObjectSize?: number
}): Promise<T> {
  return store.transaction(async (tx) => {
    const id = typeof repoId === 'number' ? repoId : await repoId(tx)
    let imported: ImportPackResult | null = null
    if (fetched) {
      imported = await importPack({
        store: tx,
        repoId: id,
        pack: fetched.pack,
        maxObjectSize,
        onObjects: (resolved) => onProgress?.({ phase: 'resolving', resolved }),
      })
      onProgress?.({ phase: 'storing', objects: imported.objects })
      await updateShallow({
        store: tx,
        repoId: id,
        current: shallow,
        shallow: fetched.shallow,
        unshallow: fetched.unshallow,
      })
    }
    return apply(tx, id, imported)
  })
}
