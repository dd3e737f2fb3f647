import type { ImportResult, Project, RequestJson, ResponseJson } from '../api-types.ts'
import { encodeSegment } from '../paths.ts'
import type { Transport } from '../transport.ts'

type CreateInput = RequestJson<'/projects/{projectId}', 'put'>
type UpdateInput = RequestJson<'/projects/{projectId}', 'patch', { defaultBranch?: string }>
type UpdatedProject = ResponseJson<'/projects/{projectId}', 'patch', 200, Project>
type ImportInput = RequestJson<'/projects/{projectId}/import', 'post'>

const at = (id: string) => `/projects/${encodeSegment(id)}`

/** `client.projects`: create, describe, change, delete, import and export projects. */
export function projectsApi(t: Transport) {
  return {
    /**
     * Creates an empty project; an existing one is answered as it is.
     *
     * @example
     * const project = await client.projects.create('docs', { defaultBranch: 'main' })
     */
    create: (id: string, options: CreateInput = {}): Promise<Project> =>
      t.json({ method: 'PUT', path: at(id), json: options }),

    /** The project: `{ id, defaultBranch, head, remote }`; `PROJECT_NOT_FOUND` when unknown. */
    get: (id: string): Promise<Project> => t.json({ method: 'GET', path: at(id) }),

    /** Changes a project's settings, e.g. its default branch. */
    update: (id: string, changes: UpdateInput): Promise<UpdatedProject> =>
      t.json({ method: 'PATCH', path: at(id), json: changes }),

    /** Deletes the project and all its data. */
    delete: (id: string): Promise<void> => t.empty({ method: 'DELETE', path: at(id) }),

    /**
     * Creates the project (if new) and imports it from a git remote.
     *
     * @example
     * await client.projects.import('hello', { url: 'https://github.com/octo/hello.git', depth: 1 })
     */
    import: (id: string, options: ImportInput): Promise<ImportResult> =>
      t.json({ method: 'POST', path: `${at(id)}/import`, json: options }),

    /** The repository as a git bundle, streamed (`git clone x.bundle` takes it). */
    exportBundle: async (id: string): Promise<ReadableStream<Uint8Array>> => {
      const res = await t.send({ method: 'GET', path: `${at(id)}/export.bundle` })
      return res.body ?? new ReadableStream({ start: (c) => c.close() })
    },
  }
}
