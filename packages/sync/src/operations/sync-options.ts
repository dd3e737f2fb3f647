import type { GitStore, ObjectCache } from '@gitpg/git-pg-fs'
import { gitHubCredential, gitHubHost, type GitHubHost } from '../github/github-host.ts'
import { scopedCredential, type Credential } from '../transport/credentials.ts'
import type { GitRemote, ProgressListener } from '../transport/git-remote.ts'
import { SmartHttpRemote } from '../transport/smart-http-remote.ts'

/**
 * Opens a remote; tests and callers with other transports pass their own. Each credential may be
 * sent only to its own origins (`tokenFor`).
 */
export type ConnectRemote = (input: {
  url: string
  credentials: readonly (Credential | null)[]
}) => GitRemote

export const connectSmartHttp: ConnectRemote = ({ url, credentials }) =>
  new SmartHttpRemote({ url, credentials })

/** What every sync operation takes. */
export interface SyncOptions {
  store: GitStore
  cache?: ObjectCache
  /**
   * the caller's token for this remote (HTTP Basic `x-access-token:<token>`), sent to the
   * remote's own origin (scheme, host and port) only; none for public remotes
   */
  token?: string | null
  /**
   * the server's token (`GITHUB_TOKEN`), used when the caller brings none: sent only to the
   * configured GitHub (`github`), never to another host a caller names
   */
  defaultToken?: string | null
  /** the GitHub `defaultToken` belongs to (web and API origins); github.com by default */
  githubHost?: GitHubHost
  connect?: ConnectRemote
  onProgress?: ProgressListener
  /** objects larger than this, in bytes, fail the operation with `OBJECT_TOO_LARGE` */
  maxObjectSize?: number
}

/**
 * The credentials of a sync with the remote at `url`, first match wins: the caller's token (to
 * that remote's origin, and to `alsoTo`), then the server's token (to its GitHub only).
 */
export function syncCredentials(
  options: Pick<SyncOptions, 'token' | 'defaultToken' | 'githubHost'>,
  url: string,
  alsoTo: readonly string[] = [],
): Credential[] {
  const github = options.githubHost ?? gitHubHost()
  return [
    scopedCredential(options.token, url, ...alsoTo),
    gitHubCredential(options.defaultToken, github),
  ].filter((c): c is Credential => c !== null)
}
