import type { GitStore, ObjectCache } from '@gitpg/git-pg-fs'
import type { GitRemote, ProgressListener } from '../transport/git-remote.ts'
import { SmartHttpRemote } from '../transport/smart-http-remote.ts'

/** Opens a remote; tests and callers with other transports pass their own. */
export type ConnectRemote = (input: { url: string; token: string | null }) => GitRemote

export const connectSmartHttp: ConnectRemote = ({ url, token }) =>
  new SmartHttpRemote({ url, token })

/** What every sync operation takes. */
export interface SyncOptions {
  store: GitStore
  cache?: ObjectCache
  /** token for the remote (HTTP Basic `x-access-token:<token>`); none for public remotes */
  token?: string | null
  connect?: ConnectRemote
  onProgress?: ProgressListener
  /** objects larger than this, in bytes, fail the operation with `OBJECT_TOO_LARGE` */
  maxObjectSize?: number
}
