import type { BlameEntry } from './blame-entries.ts'

/** A version of the blamed file in one commit: the suspect for the lines it holds. */
export interface BlameOrigin {
  commit: string
  path: string
  blob: string
  mode: string
  /** lines still looking for their commit here, sorted by `sLno` */
  suspects: BlameEntry[]
  /** the parent version this one was first compared with (porcelain's `previous`) */
  previous: BlameOrigin | null
}

/** The origins of each commit, one per path (git's `get_origin`). */
export class OriginTable {
  readonly #byCommit = new Map<string, BlameOrigin[]>()

  of(commit: string): readonly BlameOrigin[] {
    return this.#byCommit.get(commit) ?? []
  }

  find(commit: string, path: string): BlameOrigin | undefined {
    return this.of(commit).find((o) => o.path === path)
  }

  /** The origin of `path` in `commit`, made with this blob when there is none yet. */
  get({ commit, path, blob, mode }: { commit: string; path: string; blob: string; mode: string }) {
    const found = this.find(commit, path)
    if (found) {
      found.blob = blob
      found.mode = mode
      return found
    }
    const origin: BlameOrigin = { commit, path, blob, mode, suspects: [], previous: null }
    const list = this.#byCommit.get(commit)
    if (list) list.push(origin)
    else this.#byCommit.set(commit, [origin])
    return origin
  }
}
