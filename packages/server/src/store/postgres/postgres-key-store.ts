import type { Executor } from '@gitpg/git-pg-fs'
import type { KeyRecord, KeyScope, KeyStore } from '../key-store.ts'

const COLUMNS = 'id, projects, scope, expires_at, created_at, revoked_at'

type KeyRow = {
  id: string
  projects: string[]
  scope: KeyScope
  expires_at: Date | null
  created_at: Date
  revoked_at: Date | null
}

const toRecord = (row: KeyRow): KeyRecord => ({
  id: row.id,
  projects: row.projects,
  scope: row.scope,
  expiresAt: row.expires_at,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
})

/**
 * Scoped keys in PostgreSQL (`api_keys`), found by the SHA-256 hash of the key.
 *
 * @example
 * const keys = new PostgresKeyStore({ executor: db })
 * const record = await keys.findByHash(hash('sha256', key, 'buffer'))
 */
export class PostgresKeyStore implements KeyStore {
  readonly #executor: Executor

  constructor({ executor }: { executor: Executor }) {
    this.#executor = executor
  }

  async create(input: Parameters<KeyStore['create']>[0]): Promise<KeyRecord> {
    const { rows } = await this.#executor.query<KeyRow>(
      `INSERT INTO api_keys (id, key_hash, projects, scope, expires_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [input.id, input.hash, [...input.projects], input.scope, input.expiresAt],
    )
    return toRecord(rows[0])
  }

  async findByHash(hash: Buffer): Promise<KeyRecord | null> {
    const { rows } = await this.#executor.query<KeyRow>(
      `SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1`,
      [hash],
    )
    return rows.length > 0 ? toRecord(rows[0]) : null
  }

  async list(): Promise<KeyRecord[]> {
    const { rows } = await this.#executor.query<KeyRow>(
      `SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC, id`,
    )
    return rows.map(toRecord)
  }

  async revoke(id: string): Promise<KeyRecord | null> {
    const { rows } = await this.#executor.query<KeyRow>(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
       RETURNING ${COLUMNS}`,
      [id],
    )
    return rows.length > 0 ? toRecord(rows[0]) : null
  }
}
