import type {
  ImportResult,
  MaintenanceReport,
  Project,
  RequestJson,
  ResponseJson,
  StorageReport,
} from '../api-types.ts'
import { encodeSegment } from '../paths.ts'
import type { Transport } from '../transport.ts'

type CreateInput = RequestJson<'/projects/{projectId}', 'put'>
type UpdateInput = RequestJson<'/projects/{projectId}', 'patch', { defaultBranch?: string }>
type UpdatedProject = ResponseJson<'/projects/{projectId}', 'patch', 200, Project>
type ImportInput = RequestJson<'/projects/{projectId}/import', 'post'>
type MaintenanceInput = RequestJson<'/projects/{projectId}/maintenance', 'post'>

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

    /**
     * The project's storage: objects (whole and deltified), their stored bytes, the last
     * maintenance run; with `reclaimable`, what a maintenance run would remove now.
     *
     * @example
     * const { storedBytes, reclaimable } = await client.projects.storage('docs', { reclaimable: true })
     */
    storage: (
      id: string,
      options: { reclaimable?: boolean; prune?: string } = {},
    ): Promise<StorageReport> =>
      t.json({ method: 'GET', path: `${at(id)}/storage`, query: options }),

    /**
     * Runs maintenance (garbage collection and repack) now; `MAINTENANCE_RUNNING` (409) while a
     * run of the project is under way elsewhere.
     *
     * @example
     * const report = await client.projects.maintain('docs', { prune: 'now' })
     */
    maintain: (id: string, options: MaintenanceInput = {}): Promise<MaintenanceReport> =>
      t.json({ method: 'POST', path: `${at(id)}/maintenance`, json: options }),

    /** The repository as a git bundle, streamed (`git clone x.bundle` takes it). */
    exportBundle: async (id: string): Promise<ReadableStream<Uint8Array>> => {
      const res = await t.send({ method: 'GET', path: `${at(id)}/export.bundle` })
      return res.body ?? new ReadableStream({ start: (c) => c.close() })
    },
  }
}
