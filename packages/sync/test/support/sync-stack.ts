import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PostgresStore } from '@gitpg/git-pg-fs'
import { startGitHttpServer, type TestHttpServer } from './git-http-server.ts'
import { createStoreDatabase, type StoreDatabase } from '../../../../test/support/store-database.ts'

/** What a sync test file runs against: remotes served over smart HTTP, and a store. */
export interface SyncStack {
  /** the directory the remotes' bare repositories live in, removed by `close()` */
  root: string
  /** stock git's smart HTTP over `root` */
  remotes: TestHttpServer
  store: PostgresStore
  /** Stops the server, drops the database and removes `root`. */
  close(): Promise<void>
}

/**
 * A fresh `root`, a git HTTP server over it (`token` and `renamed` as `startGitHttpServer`
 * takes them) and a migrated store database of its own.
 */
export async function startSyncStack({
  name,
  ...server
}: {
  name: string
} & Omit<Parameters<typeof startGitHttpServer>[0], 'root'>): Promise<SyncStack> {
  const root = mkdtempSync(join(tmpdir(), `gitpg-${name}-`))
  let remotes: TestHttpServer | undefined
  let database: StoreDatabase | undefined
  const close = async () => {
    await remotes?.close()
    await database?.close()
    rmSync(root, { recursive: true, force: true })
  }
  try {
    remotes = await startGitHttpServer({ root, ...server })
    database = await createStoreDatabase()
    return { root, remotes, store: database.store, close }
  } catch (err) {
    await close()
    throw err
  }
}
