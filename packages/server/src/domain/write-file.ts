import { type AuthorInput, type CommitResult, type Repository } from '@gitpg/git-pg-fs'
import { commitOnBranch } from './commit-on-branch.ts'
import { checkSpecialFile } from './special-files.ts'

/** Commits one file's new content (or, with `content: null`, its deletion) directly on a branch. */
export async function commitFile({
  repo,
  path,
  content,
  branch,
  message,
  author,
  expectedHead,
}: {
  repo: Repository
  path: string
  content: Buffer | null
  branch?: string
  message?: string
  author: AuthorInput
  expectedHead?: string
}): Promise<CommitResult> {
  if (content !== null) checkSpecialFile({ path, content })
  return commitOnBranch({
    repo,
    branch,
    expectedHead,
    author,
    message: message ?? `${content === null ? 'Delete' : 'Update'} ${path}`,
    changes: [content === null ? { path, action: 'delete' } : { path, action: 'write', content }],
  })
}
