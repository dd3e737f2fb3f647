import { decodePath } from '@gitpg/git-pg-fs'
import type { PendingChange } from '../pending-store.ts'

/** A `pending_changes` row as the store's statements return it (`content` where selected). */
export interface PendingRow {
  /** the path's bytes (`encodePath`) */
  path: Buffer
  action: PendingChange['action']
  oid: string | null
  size: number
  version: string
  updated_at: Date
  content?: Buffer | null
}

/** The columns of a `PendingRow`, content aside. */
export const PENDING_COLUMNS = 'path, action, oid, size, version, updated_at'

export function toChange(row: PendingRow): PendingChange {
  return {
    path: decodePath(row.path),
    action: row.action,
    oid: row.oid,
    size: row.size,
    version: String(row.version),
    updatedAt: row.updated_at,
  }
}
