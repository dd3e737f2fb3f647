import type { Branch, RequestJson, Signature, Tag, TagList } from '../api-types.ts'
import { encodePath, encodeSegment } from '../paths.ts'
import type { Transport } from '../transport.ts'

type BranchInput = RequestJson<'/projects/{projectId}/branches', 'post'>

/** What `tags.create` takes: annotated with `message`, lightweight without. */
type TagInput = RequestJson<
  '/projects/{projectId}/tags',
  'post',
  {
    name: string
    /** default: the default branch */
    target?: string
    message?: string
    tagger?: Pick<Signature, 'name' | 'email'> & Partial<Signature>
  }
>

const projectAt = (project: string) => `/projects/${encodeSegment(project)}`

/** `client.branches`: list, create and delete branches. */
export function branchesApi(t: Transport) {
  return {
    /** The project's branches; `default` marks the default branch. */
    list: ({ project }: { project: string }): Promise<{ branches: Branch[] }> =>
      t.json({ method: 'GET', path: `${projectAt(project)}/branches` }),

    /**
     * Creates a branch at `from` (default: the default branch).
     *
     * @example
     * await client.branches.create({ project: 'docs', name: 'draft', from: 'main' })
     */
    create: ({ project, ...body }: { project: string } & BranchInput): Promise<Branch> =>
      t.json({ method: 'POST', path: `${projectAt(project)}/branches`, json: body }),

    /** Deletes a branch (not the default one). */
    delete: ({ project, name }: { project: string; name: string }): Promise<void> =>
      t.empty({ method: 'DELETE', path: `${projectAt(project)}/branches/${encodePath(name)}` }),
  }
}

/** `client.tags`: list, create and delete tags. */
export function tagsApi(t: Transport) {
  return {
    /** The project's tags by name; annotated ones with their message, tagger and target. */
    list: ({ project }: { project: string }): Promise<TagList> =>
      t.json({ method: 'GET', path: `${projectAt(project)}/tags` }),

    /**
     * Creates a tag: annotated when it has a `message`, lightweight otherwise.
     *
     * @example
     * await client.tags.create({ project: 'docs', name: 'v1.0', message: 'First release' })
     */
    create: ({ project, ...body }: { project: string } & TagInput): Promise<Tag> =>
      t.json({ method: 'POST', path: `${projectAt(project)}/tags`, json: body }),

    /** Deletes a tag. */
    delete: ({ project, name }: { project: string; name: string }): Promise<void> =>
      t.empty({ method: 'DELETE', path: `${projectAt(project)}/tags/${encodePath(name)}` }),
  }
}
