import type { PullResult, PushResult, RequestJson } from '../api-types.ts'
import { encodeSegment } from '../paths.ts'
import type { Transport } from '../transport.ts'

type PullInput = NonNullable<RequestJson<'/projects/{projectId}/pull', 'post'>>
type PushInput = NonNullable<RequestJson<'/projects/{projectId}/push', 'post'>>

/** Sync with the project's git remote. */
export function syncApi(t: Transport) {
  return {
    /**
     * Fetches the remote and fast-forwards; `conflicts` lists pending changes on paths that
     * changed upstream.
     *
     * @example
     * const { changedPaths, conflicts } = await client.pull({ project: 'docs' })
     */
    pull: ({ project, ...body }: { project: string } & PullInput): Promise<PullResult> =>
      t.json({ method: 'POST', path: `/projects/${encodeSegment(project)}/pull`, json: body }),

    /** Pushes a branch to the remote, optionally opening a pull request; 409 when not a fast-forward. */
    push: ({ project, ...body }: { project: string } & PushInput): Promise<PushResult> =>
      t.json({ method: 'POST', path: `/projects/${encodeSegment(project)}/push`, json: body }),
  }
}
