import { CODE_TYPE } from '../objects/git-object.ts'
import type { PostgresStore } from '../store/postgres/postgres-store.ts'
import { scanObjectRows } from '../store/postgres/repack-sql.ts'
import { ChainGraph } from './chain-graph.ts'
import type { PoolObject } from './delta-windows.ts'
import type { Marked } from './maintenance-types.ts'

/** Objects smaller than this are left as they are: a delta's header and the row cost as much. */
export const MIN_DELTA_SIZE = 64
/** Objects larger than this are left whole (their windows would hold too much at once). */
export const MAX_DELTA_SIZE = 4 << 20

/** What one scan of a repository's rows gives repack. */
export interface RepackScan {
  /** every row's chain link */
  graph: ChainGraph
  /** reachable blobs and trees within the size bounds: candidates and bases */
  pool: PoolObject[]
  /** stored bytes of each pooled object */
  stored: Map<string, number>
}

/**
 * Reads the metadata of every row of the repository once (no content) and keeps what repack
 * plans with: the chains of every row, and the reachable blobs and trees it may deltify (whole
 * and compressed) or build on.
 *
 * @example
 * const { graph, pool } = await scanForRepack({ store, repoId, marked })
 */
export async function scanForRepack({
  store,
  repoId,
  marked,
}: {
  store: PostgresStore
  repoId: number
  marked: Marked
}): Promise<RepackScan> {
  const graph = new ChainGraph()
  const pool: PoolObject[] = []
  const stored = new Map<string, number>()
  for await (const page of scanObjectRows(store.executor, { repoId })) {
    for (const row of page) {
      graph.add(row)
      const reached = marked.reachable.get(row.oid)
      const type = CODE_TYPE[row.type]
      if (!reached || (type !== 'blob' && type !== 'tree')) continue
      if (row.size < MIN_DELTA_SIZE || row.size > MAX_DELTA_SIZE) continue
      pool.push({
        oid: row.oid,
        type,
        path: reached.path,
        rank: reached.rank,
        size: row.size,
        whole: row.base === null && row.zlib,
      })
      stored.set(row.oid, row.stored)
    }
  }
  return { graph, pool, stored }
}
