/** One ref as a remote advertises it. */
export interface RemoteRef {
  name: string
  oid: string
  /** for an annotated tag, the object it points at */
  peeled?: string
  /** for a symbolic ref (HEAD), the ref it points at */
  target?: string
}

/** What happens during a transfer, for progress displays. */
export interface TransferProgress {
  phase: 'connecting' | 'negotiating' | 'receiving' | 'resolving' | 'storing' | 'sending' | 'done'
  /** objects in the pack, once known */
  objects?: number
  /** objects of the pack resolved, checked and stored so far (of `objects`) */
  resolved?: number
  /** bytes received or sent so far */
  bytes?: number
  /** a progress line from the remote (`Counting objects: ...`) */
  message?: string
}

export type ProgressListener = (progress: TransferProgress) => void

export interface FetchRequest {
  /** commits to fetch */
  wants: readonly string[]
  /** commits already present locally, newest first */
  haves?: readonly string[]
  /** history depth (`git fetch --depth`) */
  depth?: number
  /** commits that are shallow locally (the `shallow` file) */
  shallow?: readonly string[]
  onProgress?: ProgressListener
}

export interface FetchResult {
  /**
   * the packfile as it arrives, to be read once: the import works while it downloads, and a
   * cut connection or bad framing surfaces as an error while it is read
   */
  pack: AsyncIterable<Buffer>
  /** commits the remote made shallow boundaries of this fetch */
  shallow: string[]
  /** commits that are no longer shallow */
  unshallow: string[]
}

/** One ref update of a push; `oldOid` null creates, `newOid` null deletes. */
export interface PushCommand {
  ref: string
  oldOid: string | null
  newOid: string | null
}

export interface PushRequest {
  commands: readonly PushCommand[]
  /** the pack, piece by piece; none when every command deletes */
  pack: AsyncIterable<Uint8Array> | null
  onProgress?: ProgressListener
}

export interface PushReport {
  /** per ref: null when accepted, else the remote's reason */
  refs: { ref: string; error: string | null }[]
}

/**
 * A git remote: ref discovery, one pack per fetch and one pack per push.
 * `SmartHttpRemote` speaks git's smart HTTP protocol.
 */
export interface GitRemote {
  readonly url: string
  listRefs(options?: { prefixes?: readonly string[] }): Promise<RemoteRef[]>
  /** refs as `git-receive-pack` advertises them, for a push */
  listPushRefs(): Promise<RemoteRef[]>
  fetchPack(request: FetchRequest): Promise<FetchResult>
  pushPack(request: PushRequest): Promise<PushReport>
}
